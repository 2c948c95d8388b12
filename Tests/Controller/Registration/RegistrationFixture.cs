using System;
using Controller.Database;
using Controller.Forms;
using Controller.Registration;
using Protocol.Registration;

namespace Tests.Controller.Registration;

/// <summary>
/// One element's forms in an in-memory database, programmed like the seed document's example:
/// this element is CEID 1 (10.0.0.1:6800) with DNs 1000 and 1001; DN 2004 lives on CEID 2
/// (10.0.0.2:6810) with CEID 3 (10.0.0.3:6820) as its secondary; DN 1001's secondary is CEID 3.
/// Access codes *** and ###.
/// </summary>
internal sealed class RegistrationFixture : IDisposable
{
    public const string MacA = "00:08:5d:00:30:0a";
    public const string MacB = "00:08:5d:00:30:0b";

    public RegistrationFixture()
    {
        Database = ElementDatabase.Open(":memory:");
        Forms = new ElementForms(Database);
        Forms.SystemOptions.RegistrationAccessCode = "***";
        Forms.SystemOptions.ReplacementAccessCode = "###";
        Forms.ClusterDirectory.AddElement(1, "71", true, "10.0.0.1", 6800, "this element");
        Forms.ClusterDirectory.AddElement(2, "72", false, "10.0.0.2", 6810, "home of 2004");
        Forms.ClusterDirectory.AddElement(3, "73", false, "10.0.0.3", 6820, "secondary");
        Forms.TelephoneDirectory.Add("1000", "Set 1000");
        Forms.TelephoneDirectory.Add("1001", "Set 1001");
        Forms.ClusterDirectory.AddRemoteDirectoryNumber("1001", 1, 3);
        Forms.ClusterDirectory.AddRemoteDirectoryNumber("2004", 2, 3);
        Lockouts = new PinLockouts(Policy);
    }

    public ElementDatabase Database { get; }

    public ElementForms Forms { get; }

    public RegistrationPolicy Policy { get; } = new() { WrongPinLimit = 3, LockoutMilliseconds = 60_000 };

    public PinLockouts Lockouts { get; }

    public static byte[] Bytes(string mac)
    {
        return Convert.FromHexString(mac.Replace(":", string.Empty, StringComparison.Ordinal));
    }

    public RegistrationSession Session()
    {
        return new RegistrationSession(Forms, Policy, Lockouts);
    }

    /// <summary>A new link whose set sends Register; the one reply.</summary>
    public RegistrationMessage Register(RegistrationSession session, string mac, string? pin, int setType = 5320, bool failover = false, long now = 0)
    {
        RegistrationMessage register = RegistrationMessage.Register(Bytes(mac), setType, "1.0.0", pin);
        register.Failover = failover;
        return Single(session.Handle(register, now));
    }

    public RegistrationMessage Type(RegistrationSession session, string pin, long now = 0)
    {
        return Single(session.Handle(RegistrationMessage.PinEntry(pin), now));
    }

    /// <summary>A set of <paramref name="mac"/> registered on <paramref name="pin"/>'s DN (typed at the prompt).</summary>
    public RegistrationSession Registered(string mac, string pin)
    {
        RegistrationSession session = Session();
        Register(session, mac, null);
        RegistrationMessage reply = Type(session, pin);
        if (reply.Type != RegistrationMessageType.Registered)
        {
            throw new InvalidOperationException(pin + " did not register: " + reply.Type + " " + reply.Reason);
        }

        return session;
    }

    public void Dispose()
    {
        Database.Dispose();
    }

    private static RegistrationMessage Single(RegistrationOutcome outcome)
    {
        Assert.AreEqual(1, outcome.Replies.Count, "one reply per frame");
        return outcome.Replies[0];
    }
}
