using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Hal.Host;
using Tests.Support;

namespace Tests.TestPort;

/// <summary>The host's serial driver on the two ends of a real pty pair: bytes cross unchanged both ways, reads never wait.</summary>
[TestClass]
public class TtySerialPortTests
{
    [TestMethod]
    public void BytesCrossThePairUnchangedAndAnEmptyLineReadsZeroAtOnce()
    {
        using PtyPair pty = new();
        using TtySerialPort phone = new(pty.A, 115200);
        using TtySerialPort host = new(pty.B, 115200);
        byte[] buffer = new byte[64];
        Stopwatch read = Stopwatch.StartNew();
        Assert.AreEqual(0, host.Read(buffer, 0, buffer.Length));
        Assert.IsTrue(read.ElapsedMilliseconds < 500, "a read with nothing waiting blocked for " + read.ElapsedMilliseconds + " ms");

        // CR, ^C, DEL and a high byte would be translated or act as signals on a cooked terminal.
        byte[] sent = { (byte)'K', (byte)'\r', 0x03, 0x7F, 0xFF, (byte)'\n' };
        Assert.AreEqual(sent.Length, host.Write(sent, 0, sent.Length));
        CollectionAssert.AreEqual(sent, ReadExactly(phone, sent.Length));

        byte[] reply = { (byte)'O', (byte)'K', (byte)'\n' };
        Assert.AreEqual(reply.Length, phone.Write(new byte[] { 9, 9, (byte)'O', (byte)'K', (byte)'\n' }, 2, 3));
        CollectionAssert.AreEqual(reply, ReadExactly(host, reply.Length));
    }

    [TestMethod]
    public void APathThatIsNotATerminalIsRefusedClearly()
    {
        using TestDirectory directory = new("tty");
        File.WriteAllText(directory.File("plain"), "x");
        IOException notTty = Assert.ThrowsExactly<IOException>(() => new TtySerialPort(directory.File("plain"), 115200));
        StringAssert.Contains(notTty.Message, "is not a terminal");
        IOException missing = Assert.ThrowsExactly<IOException>(() => new TtySerialPort(directory.File("missing"), 115200));
        StringAssert.Contains(missing.Message, "missing");
        Assert.IsFalse(TtySerialPort.IsSupportedBaudRate(12345));
    }

    private static byte[] ReadExactly(TtySerialPort port, int count)
    {
        byte[] received = new byte[count];
        int at = 0;
        Stopwatch waited = Stopwatch.StartNew();
        while (at < count && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            int read = port.Read(received, at, count - at);
            at += read;
            if (read == 0)
            {
                Thread.Sleep(5);
            }
        }

        Assert.AreEqual(count, at, "bytes received");
        return received;
    }
}
