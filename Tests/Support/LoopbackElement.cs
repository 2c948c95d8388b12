using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Tests.Support;

/// <summary>
/// One `controller serve` process on loopback with free ports, a boot image of the given size and
/// DN 1000 ("Lab set") in its Telephone Directory: the element the process tests run a phone
/// against. Started and checked in the constructor; the process is stopped on dispose.
/// </summary>
public sealed class LoopbackElement : IDisposable
{
    public LoopbackElement(TestDirectory directory, string name, int bootImageBytes)
    {
        DhcpPort = FreePorts.Udp();
        TftpPort = FreePorts.Udp();
        RegistrationPort = FreePorts.Tcp();
        Directory.CreateDirectory(directory.File("boot"));
        File.WriteAllBytes(directory.File("boot/boot.img"), new byte[bootImageBytes]);
        File.WriteAllText(directory.File("element.json"), $$"""
            {
              "element": { "name": "{{name}}", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": {{DhcpPort}}, "tftp": {{TftpPort}}, "registration": {{RegistrationPort}} },
              "database": "element.db",
              "telephoneDirectory": [ { "number": "1000", "name": "Lab set" } ]
            }
            """);
        Process = new BackgroundProcess("dotnet", BuiltPrograms.Controller + " serve --config element.json", directory.Path);
        if (!Process.WaitForLine("option 125", TimeSpan.FromSeconds(30)))
        {
            string output = Process.Output;
            Process.Dispose();
            Assert.Fail("controller did not start:\n" + output);
        }
    }

    public int DhcpPort { get; }

    public int TftpPort { get; }

    public int RegistrationPort { get; }

    public BackgroundProcess Process { get; }

    /// <summary>What the controller printed so far, for assertion messages.</summary>
    public string Output => Process.Output;

    public void Dispose()
    {
        Process.Dispose();
    }
}
