using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Controller.Database;
using Controller.Forms;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// A `controller serve` process on loopback whose Telephone Directory holds DNs 1000 to
/// 1000 + <c>dns</c> - 1, and after it ends, its database read back to see what survived.
/// </summary>
public sealed class ServedElement : IDisposable
{
    private readonly TestDirectory _directory;

    public ServedElement(TestDirectory directory, int dns)
    {
        _directory = directory;
        Dns = new List<string>();
        StringBuilder entries = new();
        for (int i = 0; i < dns; i++)
        {
            string dn = (1000 + i).ToString(CultureInfo.InvariantCulture);
            Dns.Add(dn);
            entries.Append(i == 0 ? string.Empty : ",").Append("{ \"number\": \"").Append(dn).Append("\", \"name\": \"Set ").Append(dn).Append("\" }");
        }

        RegistrationPort = FreePorts.Tcp();
        DhcpPort = FreePorts.Udp();
        Directory.CreateDirectory(directory.File("boot"));
        File.WriteAllBytes(directory.File("boot/boot.img"), new byte[4096]);
        File.WriteAllText(directory.File("element.json"), $$"""
            {
              "element": { "name": "rel", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": {{DhcpPort}}, "tftp": 0, "registration": {{RegistrationPort}} },
              "database": "element.db",
              "telephoneDirectory": [ {{entries}} ]
            }
            """);
        Process = Start();
    }

    public List<string> Dns { get; }

    public int RegistrationPort { get; }

    public int DhcpPort { get; }

    public BackgroundProcess Process { get; private set; }

    public string EndpointFile => _directory.File("element.db.admin.json");

    /// <summary>Starts `controller serve` again on the same database (after a kill).</summary>
    public BackgroundProcess Restart()
    {
        Process.Dispose();
        Process = Start();
        return Process;
    }

    /// <summary>Opens the database (with the process gone) and asks the forms.</summary>
    public T Read<T>(Func<ElementForms, T> query)
    {
        using ElementDatabase database = ElementDatabase.Open(_directory.File("element.db"));
        return query(new ElementForms(database));
    }

    public void Dispose()
    {
        Process.Dispose();
    }

    private BackgroundProcess Start()
    {
        BackgroundProcess process = new("dotnet", BuiltPrograms.Controller + " serve --config element.json", _directory.Path);
        if (!process.WaitForLine("admin API", TimeSpan.FromSeconds(60)))
        {
            string output = process.Output;
            process.Dispose();
            Assert.Fail("controller did not start:\n" + output);
        }

        return process;
    }
}
