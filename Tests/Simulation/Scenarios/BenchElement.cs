using System;
using PhoneFirmware.Core.Events;

namespace Tests.Simulation.Scenarios;

/// <summary>The scenarios' common setup: one element with DN 1000, a boot file, and a phone.</summary>
public sealed class BenchElement : IDisposable
{
    public const uint ControllerAddress = 0x0A4D0001; // 10.77.0.1

    /// <summary>The element; with <paramref name="serveDhcp"/> false another DHCP server (a <see cref="SimDhcpServer"/>) leases the phones' addresses.</summary>
    public BenchElement(ulong seed, NetworkConditions conditions, bool serveDhcp = true)
    {
        Runner = new SimRunner(seed, conditions);
        Controller = new SimController(Runner, "element-1", ControllerAddress, ":memory:", serveDhcp);
        Controller.Forms.SystemOptions.RegistrationAccessCode = "***";
        Controller.Forms.SystemOptions.ReplacementAccessCode = "###";
        Controller.Forms.ClusterDirectory.AddElement(1, "71", true, "10.77.0.1", SimController.RegistrationPort, "element-1");
        Controller.Forms.TelephoneDirectory.Add("1000", "Bench Phone 1000");
        Controller.Forms.TelephoneDirectory.Add("1001", "Bench Phone 1001");
        BootImage = new byte[40_000];
        for (int i = 0; i < BootImage.Length; i++)
        {
            BootImage[i] = (byte)((i * 31) ^ (i >> 7));
        }

        Controller.AddFile("boot.img", BootImage);
        Runner.Add(Controller);
    }

    public SimRunner Runner { get; }

    public SimController Controller { get; }

    public byte[] BootImage { get; }

    public SimPhone AddPhone(string name, byte last)
    {
        return new SimPhone(Runner, name, new byte[] { 0x00, 0x08, 0x5d, 0x00, 0x10, last });
    }

    /// <summary>Runs until the phone publishes <paramref name="eventName"/> this boot; fails with the seed and trail otherwise.</summary>
    public void RunUntil(SimPhone phone, string eventName, long limitMs = 600_000)
    {
        bool reached = Runner.RunUntil(() => phone.HasEvent(eventName), limitMs);
        if (!reached)
        {
            throw new AssertFailedException("seed " + Runner.Seed + ": " + phone.Name + " never published " + eventName
                + " within " + limitMs + " ms; state " + phone.Core.State + "; events: " + Trail(phone));
        }
    }

    public static string Trail(SimPhone phone)
    {
        string text = string.Empty;
        foreach (PhoneEvent e in phone.EventsThisBoot)
        {
            text += e.Name + " ";
        }

        return text;
    }

    public void Dispose()
    {
        Controller.Dispose();
    }
}
