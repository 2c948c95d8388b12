using System;
using System.IO;
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

    public ClusterBench(ulong seed, NetworkConditions conditions)
    {
        Runner = new SimRunner(seed, conditions);
        A = new SimController(Runner, "element-A", AddressA, Path.Combine(_directory.Path, "a.db"));
        B = new SimController(Runner, "element-B", AddressB, Path.Combine(_directory.Path, "b.db"), serveDhcp: false);
        foreach (SimController element in new[] { A, B })
        {
            element.Forms.SystemOptions.RegistrationAccessCode = "***";
            element.Forms.SystemOptions.ReplacementAccessCode = "###";
            element.Forms.ClusterDirectory.AddElement(1, "71", element == A, "10.77.0.1", SimController.RegistrationPort, "element-A");
            element.Forms.ClusterDirectory.AddElement(2, "72", element == B, "10.77.0.2", SimController.RegistrationPort, "element-B");
            element.AddFile("boot.img", new byte[5000]);
        }

        A.Forms.TelephoneDirectory.Add("1000", "Set 1000");
        A.Forms.TelephoneDirectory.Add("1001", "Set 1001");
        B.Forms.TelephoneDirectory.Add("2000", "Set 2000");
        A.Forms.ClusterDirectory.AddRemoteDirectoryNumber("2000", 2);
        B.Forms.ClusterDirectory.AddRemoteDirectoryNumber("1000", 1);
        B.Forms.ClusterDirectory.AddRemoteDirectoryNumber("1001", 1);
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
            () => phone.IsPowered && phone.Core.State == PhoneFirmware.Core.Boot.PhoneState.Registered
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
}
