using System;
using System.IO;
using Hal.Esp32;

namespace Tests.Esp32;

/// <summary>The board's image flash driver, on the host file system (the same System.IO calls as on the device).</summary>
[TestClass]
public class FileImageFlashTests
{
    private const int Size = 3 * 8192;

    [TestMethod]
    public void ANewFileReadsErasedAndKeepsWhatIsWritten()
    {
        string path = Path.Combine(Path.GetTempPath(), "image-flash-" + Guid.NewGuid().ToString("N"));
        try
        {
            FileImageFlash flash = new(path, Size);
            Assert.AreEqual(Size, new FileInfo(path).Length);
            byte[] read = new byte[Size];
            flash.Read(0, read, 0, Size);
            Assert.IsTrue(Array.TrueForAll(read, b => b == 0xFF), "a new image flash is not erased");

            byte[] data = { 1, 2, 3, 4, 5 };
            flash.Write(Size - 3, data, 2, 3);
            FileImageFlash reopened = new(path, Size);
            byte[] tail = new byte[4];
            reopened.Read(Size - 4, tail, 0, 4);
            CollectionAssert.AreEqual(new byte[] { 0xFF, 3, 4, 5 }, tail);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AnotherSizeIsRefusedAndTheFileKept()
    {
        string path = Path.Combine(Path.GetTempPath(), "image-flash-" + Guid.NewGuid().ToString("N"));
        try
        {
            FileImageFlash flash = new(path, Size);
            flash.Write(0, new byte[] { 7 }, 0, 1);
            IOException error = Assert.ThrowsExactly<IOException>(() => new FileImageFlash(path, 2 * Size));
            StringAssert.Contains(error.Message, "image-flash-bytes");
            Assert.AreEqual(Size, new FileInfo(path).Length);
            Assert.AreEqual(7, File.ReadAllBytes(path)[0]);
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => flash.Write(Size - 1, new byte[2], 0, 2));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => flash.Read(-1, new byte[1], 0, 1));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
