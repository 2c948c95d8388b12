using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Tests.Support;

/// <summary>
/// A two-element cluster of `controller serve` processes on loopback with free ports: A (CEID 71)
/// serves DHCP, TFTP (a boot image of 20,000 bytes) and registration, B (CEID 72) registration
/// only, each knowing the other as a cluster element. What the test adds to each element's
/// configuration (directory, RDNs, DHCP pool, ...) comes as JSON members; a.json and b.json are
/// written in the test's directory. Both are started and waited for in the constructor, stopped
/// on dispose. A may know further elements (one that never answers, say) after B.
/// </summary>
public sealed class LoopbackCluster : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(40);

    /// <param name="membersOfA">JSON members for A's configuration, e.g. "telephoneDirectory": [ ... ] (no trailing comma).</param>
    /// <param name="membersOfB">The same for B.</param>
    /// <param name="moreElementsOfA">Entries of A's clusterElements after B's, JSON objects separated by commas; none when empty.</param>
    public LoopbackCluster(TestDirectory directory, string membersOfA, string membersOfB, string moreElementsOfA = "")
    {
        DhcpPort = FreePorts.Udp();
        TftpPort = FreePorts.Udp();
        PortA = FreePorts.Tcp();
        PortB = FreePorts.Tcp();
        string elementsOfA = $$"""{ "ceidIndex": 2, "ceidDigits": "72", "address": "127.0.0.1", "registrationPort": {{PortB}}, "comment": "B" }"""
            + (moreElementsOfA.Length > 0 ? ", " + moreElementsOfA : string.Empty);
        Directory.CreateDirectory(directory.File("boot"));
        File.WriteAllBytes(directory.File("boot/boot.img"), new byte[20_000]);
        File.WriteAllText(directory.File("a.json"), $$"""
            {
              "element": { "name": "A", "ceidIndex": 1, "ceidDigits": "71" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": {{DhcpPort}}, "tftp": {{TftpPort}}, "registration": {{PortA}} },
              "database": "a.db",
              "clusterElements": [ {{elementsOfA}} ],
              {{membersOfA}}
            }
            """);
        File.WriteAllText(directory.File("b.json"), $$"""
            {
              "element": { "name": "B", "ceidIndex": 2, "ceidDigits": "72" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": 0, "tftp": 0, "registration": {{PortB}} },
              "database": "b.db",
              "dhcp": { "enabled": false },
              "tftp": { "enabled": false },
              "clusterElements": [ { "ceidIndex": 1, "ceidDigits": "71", "address": "127.0.0.1", "registrationPort": {{PortA}}, "comment": "A" } ],
              {{membersOfB}}
            }
            """);
        A = new BackgroundProcess("dotnet", BuiltPrograms.Controller + " serve --config a.json", directory.Path);
        B = new BackgroundProcess("dotnet", BuiltPrograms.Controller + " serve --config b.json", directory.Path);
        foreach ((string name, BackgroundProcess element) in new[] { ("A", A), ("B", B) })
        {
            if (!element.WaitForLine("admin API", StartTimeout))
            {
                string output = element.Output;
                Dispose();
                Assert.Fail(name + " did not start:\n" + output);
            }
        }
    }

    public int DhcpPort { get; }

    public int TftpPort { get; }

    /// <summary>A's registration port.</summary>
    public int PortA { get; }

    /// <summary>B's registration port.</summary>
    public int PortB { get; }

    public BackgroundProcess A { get; }

    public BackgroundProcess B { get; }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
