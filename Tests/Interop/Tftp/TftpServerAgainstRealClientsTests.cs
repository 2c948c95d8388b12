using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using Controller.Tftp;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Tftp;

/// <summary>
/// The controller's TFTP server serving the real clients labs use — curl, tftp-hpa and atftp —
/// with and without blksize/tsize/windowsize, byte for byte, each option checked as granted in
/// the server's log and in what the client says its OACK held; and refusing writes and every way
/// out of its root through a real client.
/// </summary>
[TestClass]
public sealed class TftpServerAgainstRealClientsTests
{
    private static TestDirectory? s_directory;
    private static TftpServer? s_server;
    private static string s_root = string.Empty;
    private static string s_imageHash = string.Empty;
    private static long s_imageLength;
    private static readonly LineLog s_log = new();

    [ClassInitialize]
    public static void StartServer(TestContext context)
    {
        s_directory = new TestDirectory("tftp-interop");
        s_root = Path.Combine(s_directory.Path, "root");
        Directory.CreateDirectory(s_root);
        byte[] image = new byte[3 * 1024 * 1024 + 77];
        new Random(11).NextBytes(image);
        File.WriteAllBytes(Path.Combine(s_root, "image.bin"), image);
        s_imageHash = Convert.ToHexString(SHA256.HashData(image));
        s_imageLength = image.Length;
        File.WriteAllBytes(Path.Combine(s_root, "exact.bin"), new byte[512 * 8]);
        File.WriteAllText(Path.Combine(s_directory.Path, "secret.txt"), "outside the root");
        File.CreateSymbolicLink(Path.Combine(s_root, "link-out.txt"), Path.Combine(s_directory.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(s_root, "dir-out"), s_directory.Path);
        s_server = new TftpServer(new TftpServerOptions { RootDirectory = s_root, BindAddress = IPAddress.Loopback, Port = 0, RetransmitMs = 300 });
        s_server.Logged += s_log.Add;
        s_server.Start();
    }

    [ClassCleanup]
    public static void StopServer()
    {
        s_server?.Dispose();
        s_directory?.Dispose();
    }

    [TestMethod]
    public void CurlFetchesWithBlockSizeAndWithoutOptions()
    {
        OutputCursor transfer = s_log.Here();
        AssertFetched(Curl("--tftp-blksize 1468", "image.bin", out string told));
        AssertServerUsed(transfer, "blksize 1468, window 1");
        StringAssert.Contains(told, "got option=(blksize) value=(1468)", "curl was not told blksize 1468");
        StringAssert.Contains(told, "got option=(tsize) value=(" + s_imageLength + ")", "curl was not told the size");

        transfer = s_log.Here();
        AssertFetched(Curl("--tftp-no-options", "image.bin", out told));
        AssertServerUsed(transfer, "blksize 512, window 1");
        Assert.IsFalse(told.Contains("got option=", StringComparison.Ordinal), "an OACK to a request without options: " + told);
    }

    [TestMethod]
    public void TftpHpaFetchesInOctetMode()
    {
        string output = Path.Combine(s_directory!.Path, "hpa-" + Guid.NewGuid().ToString("N"));
        (int exit, string text) = ProcessRunner.Run(Peer.Require("/usr/bin/tftp"), "-m binary 127.0.0.1 " + s_server!.Port + " -c get image.bin " + output, s_directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, text);
        AssertFetched(output);
    }

    [TestMethod]
    public void AtftpFetchesWithBlockSizeTransferSizeAndWindow()
    {
        OutputCursor transfer = s_log.Here();
        AssertFetched(Atftp("--trace --option \"blksize 1468\" --option \"tsize 0\" --option \"windowsize 16\"", "image.bin", out string told));
        AssertServerUsed(transfer, "blksize 1468, window 16");
        foreach (string granted in new[] { "blksize: 1468", "tsize: " + s_imageLength, "windowsize: 16" })
        {
            StringAssert.Contains(told, granted, "atftp's trace of the OACK");
        }

        transfer = s_log.Here();
        AssertFetched(Atftp("--trace --option \"blksize 512\"", "image.bin", out told));
        AssertServerUsed(transfer, "blksize 512, window 1");
        StringAssert.Contains(told, "blksize: 512", "atftp's trace of the OACK");

        transfer = s_log.Here();
        AssertFetched(Atftp("--trace", "image.bin", out told));
        AssertServerUsed(transfer, "blksize 512, window 1");
        Assert.IsFalse(told.Contains("OACK", StringComparison.Ordinal), "an OACK to a request without options: " + told);
    }

    [TestMethod]
    public void AFileOfWholeBlocksEndsWithAnEmptyBlock()
    {
        string output = Curl("--tftp-no-options", "exact.bin");
        Assert.AreEqual(512L * 8, new FileInfo(output).Length);
    }

    [TestMethod]
    public void WritesAreRefused()
    {
        string upload = Path.Combine(s_directory!.Path, "upload.txt");
        File.WriteAllText(upload, "must not land");
        long refusedBefore = s_server!.RefusedRequests;
        (int exit, string text) = ProcessRunner.Run(Peer.Require("/usr/bin/curl"), "-sS -T " + upload + " tftp://127.0.0.1:" + s_server.Port + "/upload.txt", s_directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreNotEqual(0, exit, text);
        Assert.IsFalse(File.Exists(Path.Combine(s_root, "upload.txt")));
        Assert.IsTrue(s_server.RefusedRequests > refusedBefore);
    }

    [TestMethod]
    public void EveryWayOutOfTheRootIsRefused()
    {
        string[] attempts =
        {
            "../secret.txt",
            "/etc/passwd",
            "sub/../../secret.txt",
            "link-out.txt",
            "dir-out/secret.txt",
            "..\\secret.txt",
        };
        foreach (string attempt in attempts)
        {
            string output = Path.Combine(s_directory!.Path, "escape-" + Guid.NewGuid().ToString("N"));
            long refusedBefore = s_server!.RefusedRequests;
            (int exit, string text) = ProcessRunner.Run(Peer.Require("/usr/bin/tftp"), "-m binary 127.0.0.1 " + s_server.Port + " -c get " + attempt + " " + output, s_directory.Path, TimeSpan.FromSeconds(30));
            Assert.IsTrue(s_server.RefusedRequests > refusedBefore, attempt + ": " + text);
            Assert.IsTrue(!File.Exists(output) || new FileInfo(output).Length == 0, attempt + " leaked " + (File.Exists(output) ? File.ReadAllText(output) : string.Empty));
            Assert.IsTrue(text.Contains("Error code", StringComparison.Ordinal), attempt + ": the client must be told: " + text + " (exit " + exit + ")");
        }
    }

    private static string Curl(string options, string file)
    {
        return Curl(options, file, out _);
    }

    // told: curl's verbose output (what it was told in an OACK: "got option=(name) value=(v)").
    private static string Curl(string options, string file, out string told)
    {
        string output = Path.Combine(s_directory!.Path, "curl-" + Guid.NewGuid().ToString("N"));
        (int exit, string text) = ProcessRunner.Run(Peer.Require("/usr/bin/curl"), "-sS -v " + options + " -o " + output + " tftp://127.0.0.1:" + s_server!.Port + "/" + file, s_directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, text);
        told = text;
        return output;
    }

    // told: atftp's output (with --trace, the OACK it received and its options).
    private static string Atftp(string options, string file, out string told)
    {
        string output = Path.Combine(s_directory!.Path, "atftp-" + Guid.NewGuid().ToString("N"));
        (int exit, string text) = ProcessRunner.Run(Peer.Require("/usr/bin/atftp"), options + " --get -r " + file + " -l " + output + " 127.0.0.1 " + s_server!.Port, s_directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, text);
        told = text;
        return output;
    }

    // The server's own account of the transfer that followed the cursor: what it negotiated.
    private static void AssertServerUsed(OutputCursor transfer, string negotiated)
    {
        string? line = transfer.WaitFor("tftp sent image.bin to ", TimeSpan.FromSeconds(10));
        Assert.IsNotNull(line, "the server logged no finished transfer:\n" + transfer.Since);
        StringAssert.Contains(line, s_imageLength + " bytes, " + negotiated, "what the server negotiated");
    }

    private static void AssertFetched(string path)
    {
        Assert.AreEqual(s_imageHash, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))), path);
    }
}
