using System;
using System.IO;
using Controller.Database;
using Controller.Forms;
using PhoneFirmware.Core.Events;
using Tests.Support;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// Two cluster elements on the simulated network: A (10.77.0.1, CEID 1, DNs 1000 and 1001, the
/// DHCP server) and B (10.77.0.2, CEID 2, DN 2000), each with the other in its Cluster Elements
/// and ICP/PBX Networking forms and the other's DNs in Remote Directory Numbers. Their databases
/// are files, so a restart re-opens them.
/// </summary>
public sealed class ClusterBench : IDisposable
{
    public const uint AddressA = 0x0A4D0001;
    public const uint AddressB = 0x0A4D0002;
    private readonly TestDirectory _directory = new("cluster-sim");

    // Creating and migrating two SQLite files costs far more than a simulated run, so the forms
    // are programmed once per test process and each bench starts from a copy of those files.
    private static readonly Lazy<(byte[] A, byte[] B)> Template = new(BuildTemplate);

    public ClusterBench(ulong seed, NetworkConditions conditions)
    {
        Runner = new SimRunner(seed, conditions);
        string pathA = Path.Combine(_directory.Path, "a.db");
        string pathB = Path.Combine(_directory.Path, "b.db");
        File.WriteAllBytes(pathA, Template.Value.A);
        File.WriteAllBytes(pathB, Template.Value.B);
        A = new SimController(Runner, "element-A", AddressA, pathA);
        B = new SimController(Runner, "element-B", AddressB, pathB, serveDhcp: false);
        A.AddFile("boot.img", new byte[5000]);
        B.AddFile("boot.img", new byte[5000]);
        Runner.Add(A);
        Runner.Add(B);
    }

    public SimRunner Runner { get; }

    public SimController A { get; }

    public SimController B { get; }

    public SimPhone AddPhone(string name, byte last)
    {
        SimPhone phone = new(Runner, name, new byte[] { 0x00, 0x08, 0x5d, 0x00, 0x20, last });
        phone.Settings.KeepaliveIntervalMilliseconds = 2_000;
        phone.Settings.ReturnCheckMilliseconds = 10_000;
        return phone;
    }

    public static string Mac(byte last)
    {
        return "00:08:5d:00:20:" + last.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
    }

    public void RunUntil(SimPhone phone, string eventName, long limitMs = 300_000)
    {
        if (!Runner.RunUntil(() => phone.HasEvent(eventName), limitMs))
        {
            throw new AssertFailedException("seed " + Runner.Seed + ": " + phone.Name + " never published " + eventName
                + " within " + limitMs + " ms; state " + (phone.IsPowered ? phone.Core.State.ToString() : "off") + "; events: " + BenchElement.Trail(phone));
        }
    }

    /// <summary>Runs until the phone's last registration this boot is at <paramref name="element"/>.</summary>
    public void RunUntilRegisteredAt(SimPhone phone, SimController element, long limitMs = 300_000)
    {
        string address = Protocol.Common.Ipv4.Format(element.Host.Address);
        bool done = Runner.RunUntil(
            () => phone.IsPowered && phone.Core.Registration.Phase == PhoneFirmware.Core.Registration.RegistrationPhase.Registered
                && phone.Last(EventNames.Registered) is PhoneEvent e && ((string)e.Find("controller")!).StartsWith(address + ":", StringComparison.Ordinal),
            limitMs);
        if (!done)
        {
            throw new AssertFailedException("seed " + Runner.Seed + ": " + phone.Name + " not registered at " + address + " within " + limitMs + " ms; events: " + BenchElement.Trail(phone));
        }
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        _directory.Dispose();
    }

    private static (byte[] A, byte[] B) BuildTemplate()
    {
        using TestDirectory directory = new("cluster-template");
        string pathA = Path.Combine(directory.Path, "a.db");
        string pathB = Path.Combine(directory.Path, "b.db");
        using (ElementDatabase a = ElementDatabase.Open(pathA))
        using (ElementDatabase b = ElementDatabase.Open(pathB))
        {
            Program(new ElementForms(a), new ElementForms(b));
        }

        // Closing the last connection checkpoints the WAL into the main file, so the file alone is the database.
        return (File.ReadAllBytes(pathA), File.ReadAllBytes(pathB));
    }

    private static void Program(ElementForms a, ElementForms b)
    {
        foreach (ElementForms element in new[] { a, b })
        {
            element.SystemOptions.RegistrationAccessCode = "***";
            element.SystemOptions.ReplacementAccessCode = "###";
            element.ClusterDirectory.AddElement(1, "71", element == a, "10.77.0.1", SimController.RegistrationPort, "element-A");
            element.ClusterDirectory.AddElement(2, "72", element == b, "10.77.0.2", SimController.RegistrationPort, "element-B");
        }

        a.TelephoneDirectory.Add("1000", "Set 1000");
        a.TelephoneDirectory.Add("1001", "Set 1001");
        b.TelephoneDirectory.Add("2000", "Set 2000");
        a.ClusterDirectory.AddRemoteDirectoryNumber("2000", 2);
        b.ClusterDirectory.AddRemoteDirectoryNumber("1000", 1);
        b.ClusterDirectory.AddRemoteDirectoryNumber("1001", 1);
    }
}
