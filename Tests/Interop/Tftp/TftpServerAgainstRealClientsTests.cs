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
/// with and without blksize/tsize/windowsize, byte for byte; and refusing writes and every way
/// out of its root through a real client.
/// </summary>
[TestClass]
public sealed class TftpServerAgainstRealClientsTests
{
    private static TestDirectory? s_directory;
    private static TftpServer? s_server;
    private static string s_root = string.Empty;
    private static string s_imageHash = string.Empty;

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
        File.WriteAllBytes(Path.Combine(s_root, "exact.bin"), new byte[512 * 8]);
        File.WriteAllText(Path.Combine(s_directory.Path, "secret.txt"), "outside the root");
        File.CreateSymbolicLink(Path.Combine(s_root, "link-out.txt"), Path.Combine(s_directory.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(s_root, "dir-out"), s_directory.Path);
        s_server = new TftpServer(new TftpServerOptions { RootDirectory = s_root, BindAddress = IPAddress.Loopback, Port = 0, RetransmitMs = 300 });
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
        AssertFetched(Curl("--tftp-blksize 1468", "image.bin"));
        AssertFetched(Curl("--tftp-no-options", "image.bin"));
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
        AssertFetched(Atftp("--option \"blksize 1468\" --option \"tsize 0\" --option \"windowsize 16\"", "image.bin"));
        AssertFetched(Atftp("--option \"blksize 512\"", "image.bin"));
        AssertFetched(Atftp(string.Empty, "image.bin"));
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
        string output = Path.Combine(s_directory!.Path, "curl-" + Guid.NewGuid().ToString("N"));
        (int exit, string text) = ProcessRunner.Run(Peer.Require("/usr/bin/curl"), "-sS " + options + " -o " + output + " tftp://127.0.0.1:" + s_server!.Port + "/" + file, s_directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, text);
        return output;
    }

    private static string Atftp(string options, string file)
    {
        string output = Path.Combine(s_directory!.Path, "atftp-" + Guid.NewGuid().ToString("N"));
        (int exit, string text) = ProcessRunner.Run(Peer.Require("/usr/bin/atftp"), options + " --get -r " + file + " -l " + output + " 127.0.0.1 " + s_server!.Port, s_directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, text);
        return output;
    }

    private static void AssertFetched(string path)
    {
        Assert.AreEqual(s_imageHash, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))), path);
    }
}
