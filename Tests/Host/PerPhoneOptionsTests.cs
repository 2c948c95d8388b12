using PhoneFirmware.Core;
using PhoneFirmware.Host;
using PhoneFirmware.Host.Fleet;
using Protocol.Common;

namespace Tests.Host;

/// <summary>
/// The per-phone options `phone` and `phone fleet` share (<see cref="PerPhoneOptions"/>): the same
/// spelling means the same setting in both, and the same mistake gets the same error.
/// </summary>
[TestClass]
public class PerPhoneOptionsTests
{
    [TestMethod]
    [DataRow(new[] { "--boot-file", "" }, "--boot-file")]
    [DataRow(new[] { "--boot-file", "a.img", "--no-boot-files" }, "--no-boot-files")]
    [DataRow(new[] { "--dhcp-server", "10.0.0.1:99999" }, "--dhcp-server")]
    [DataRow(new[] { "--dhcp-server", "dhcp.example" }, "--dhcp-server")]
    [DataRow(new[] { "--bind", "::1" }, "--bind")]
    [DataRow(new[] { "--seed", "x" }, "--seed")]
    [DataRow(new[] { "--ca", "lab.pem" }, "--ca needs --tls")]
    [DataRow(new[] { "--tls", "--ca", "lab.pem", "--tls-insecure" }, "contradict")]
    [DataRow(new[] { "--protocol", "h323" }, "--protocol")]
    [DataRow(new[] { "--transport", "udp" }, "--protocol sip")]
    [DataRow(new[] { "--protocol", "sip", "--transport", "sctp" }, "--transport")]
    [DataRow(new[] { "--protocol", "sip", "--model", "a/b" }, "--model")]
    [DataRow(new[] { "--tftp-server", "10.0.0.1" }, "--no-dhcp")]
    [DataRow(new[] { "--no-dhcp", "--tftp-server", "10.0.0.1" }, "--call-server")]
    [DataRow(new[] { "--no-dhcp", "--call-server", "10.0.0.1" }, "--tftp-server")]
    [DataRow(new[] { "--no-dhcp", "--dhcp-server", "10.0.0.1", "--call-server", "10.0.0.1", "--no-boot-files" }, "--dhcp-server")]
    [DataRow(new[] { "--no-dhcp", "--protocol", "sip" }, "--tftp-server")]
    [DataRow(new[] { "--no-dhcp", "--no-boot-files", "--call-server", "10.0.0.1:0" }, "--call-server")]
    [DataRow(new[] { "--timeout", "0" }, "--timeout")]
    [DataRow(new[] { "--seed" }, "needs a value")]
    public void OneBadValueGetsTheSameClearErrorFromPhoneAndFleet(string[] args, string named)
    {
        // --bind names the phone's own address with --no-dhcp, so `phone` needs nothing more for it.
        string[] phoneArgs = Contains(args, "--no-dhcp") ? Append(args, "--bind", "10.0.0.9") : args;
        UsageException phone = Assert.Throws<UsageException>(() => PhoneOptions.Parse(phoneArgs));
        UsageException fleet = Assert.Throws<UsageException>(() => FleetOptions.Parse(Append(new[] { "--count", "2" }, args)));

        StringAssert.Contains(phone.Message, named);
        Assert.AreEqual(phone.Message, fleet.Message, "phone and phone fleet word the same mistake differently");
    }

    [TestMethod]
    public void NoDhcpGivesTheCoreAStaticLeaseWithTheServersInOrder()
    {
        PhoneOptions options = PhoneOptions.Parse(new[]
        {
            "--no-dhcp", "--address", "10.1.2.3/16", "--gateway", "10.1.0.1", "--tftp-server", "10.1.0.2",
            "--call-server", "10.1.0.3:6800", "--call-server", "10.1.0.4",
        });
        PhoneSettings settings = new();
        options.Phone.ApplyTo(settings, options.StaticAddress);

        Protocol.Dhcp.DhcpLease lease = settings.StaticLease!;
        Assert.AreEqual("10.1.2.3", Ipv4.Format(lease.Address));
        Assert.AreEqual("255.255.0.0", Ipv4.Format(lease.SubnetMask));
        Assert.AreEqual("10.1.0.1", Ipv4.Format(lease.Router));
        Assert.AreEqual("10.1.0.2", lease.PhoneConfig.TftpServers[0].Host);
        Assert.AreEqual(0, lease.PhoneConfig.TftpServers[0].Port, "no port given: the protocol's default");
        Assert.AreEqual(2, lease.PhoneConfig.CallServers.Length);
        Assert.AreEqual("10.1.0.3:6800", lease.PhoneConfig.CallServers[0].ToString());
        Assert.AreEqual("10.1.0.4", lease.PhoneConfig.CallServers[1].ToString());
        PhoneSettings withDhcp = new();
        PhoneOptions.Parse(new[] { "--no-boot-files" }).Phone.ApplyTo(withDhcp, 0);
        Assert.IsNull(withDhcp.StaticLease, "DHCP unless --no-dhcp");
    }

    [TestMethod]
    public void AFleetsStaticPhonesUseItsBindAddressAndItsSipOptionsAreThePhones()
    {
        FleetOptions fleet = FleetOptions.Parse(new[]
        {
            "--count", "3", "--dn-base", "1000", "--bind", "10.9.0.2", "--no-dhcp", "--tftp-server", "10.9.0.1", "--protocol", "sip", "--transport", "tcp", "--model", "6869i",
        });
        PhoneSettings settings = new();
        fleet.Phone.ApplyTo(settings, Hal.Host.HostAddresses.FromIPAddress(fleet.EffectiveBindAddress));

        Assert.AreEqual(CallControl.Sip, settings.CallControl);
        Assert.AreEqual(2, settings.SipTransportCode);
        Assert.AreEqual("6869i", settings.SipModel);
        Assert.AreEqual(0, settings.BootFiles.Length, "a SIP set fetches its configuration files, no boot image unless asked");
        Assert.AreEqual("10.9.0.2", Ipv4.Format(settings.StaticLease!.Address));
        Assert.AreEqual("10.9.0.1", settings.StaticLease.PhoneConfig.TftpServers[0].Host);
        Assert.AreEqual("1002", fleet.DnOf(2), "phone 2's SIP number");
    }

    private static bool Contains(string[] args, string flag)
    {
        return System.Array.IndexOf(args, flag) >= 0;
    }

    private static string[] Append(string[] first, params string[] more)
    {
        string[] all = new string[first.Length + more.Length];
        first.CopyTo(all, 0);
        more.CopyTo(all, first.Length);
        return all;
    }
}
