using Controller.Registration;
using Protocol.Registration;

namespace Tests.Controller.Registration;

/// <summary>
/// Decisions of <see cref="RegistrationSession"/> that a Stryker run (docs/mutation.md) found
/// pinned by no test: the texts of errors and resets, the keepalive answer, a Register without a
/// MAC, which set types have no PIN memory, when the registration code selects a DN, failover only
/// for a DN homed here as its secondary, and what clears the wrong-PIN count.
/// </summary>
[TestClass]
public sealed class RegistrationSessionCornerTests
{
    private const string MacA = RegistrationFixture.MacA;
    private const string MacB = RegistrationFixture.MacB;

    [TestMethod]
    public void AKeepaliveIsAnsweredWithItsSequence()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Registered(MacA, "***1000");
        RegistrationOutcome outcome = session.Handle(RegistrationMessage.Keepalive(77), 0);
        Assert.AreEqual(1, outcome.Replies.Count);
        Assert.AreEqual(RegistrationMessageType.KeepaliveAck, outcome.Replies[0].Type);
        Assert.AreEqual(77u, outcome.Replies[0].Sequence);
    }

    [TestMethod]
    public void AFrameTypeTheElementDoesNotTakeIsAnsweredWithAnErrorNamingIt()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        RegistrationOutcome outcome = session.Handle(RegistrationMessage.Registered("1000", "Set 1000", true), 0);
        Assert.AreEqual(1, outcome.Replies.Count);
        Assert.AreEqual(RegistrationMessageType.Error, outcome.Replies[0].Type);
        Assert.AreEqual("unknown frame type " + (int)RegistrationMessageType.Registered, outcome.Replies[0].Text);
    }

    [TestMethod]
    public void ARegisterWithoutASixByteMacIsRefusedAndTheLinkWaitsForAnother()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        Assert.AreEqual(RegistrationSessionState.PinRequested, session.State);

        RegistrationMessage shortMac = RegistrationMessage.Register(new byte[] { 0x00, 0x08, 0x5d, 0x00, 0x30 }, 5320, "1.0.0", null);
        RegistrationMessage noMac = RegistrationMessage.Register(new byte[6], 5320, "1.0.0", null);
        noMac.Mac = null;
        foreach (RegistrationMessage register in new[] { shortMac, noMac })
        {
            RegistrationOutcome outcome = session.Handle(register, 7);
            Assert.AreEqual(1, outcome.Replies.Count);
            Assert.AreEqual(RegistrationMessageType.Error, outcome.Replies[0].Type);
            Assert.AreEqual("Register needs a 6-byte MAC", outcome.Replies[0].Text);
            Assert.AreEqual(RegistrationSessionState.AwaitingRegister, session.State);
            Assert.AreEqual(7, session.StateSince);
        }
    }

    [TestMethod]
    public void EverySetTypeOfTheNoPinMemoryListIsRefusedUnreservedAndTheLinkWaitsForRegister()
    {
        using RegistrationFixture element = new();
        foreach (int setType in element.Policy.NoPinMemorySetTypes)
        {
            RegistrationSession session = element.Session();
            element.Register(session, MacA, null);
            RegistrationMessage reply = element.Register(session, MacA, null, setType: setType, now: 9);
            Assert.AreEqual(RegistrationMessageType.Error, reply.Type, "set type " + setType);
            Assert.AreEqual("device without PIN memory: reserve MAC " + MacA + " on a DN in Multiline IP Sets", reply.Text);
            Assert.AreEqual(RegistrationSessionState.AwaitingRegister, session.State);
            Assert.AreEqual(9, session.StateSince);
        }
    }

    [TestMethod]
    public void AStoredPinOtherThanTheBareCodeDecidesOverTheRowTheMacHas()
    {
        using RegistrationFixture element = new();
        element.Registered(MacA, "***1000");
        RegistrationMessage reply = element.Register(element.Session(), MacA, "***1001");
        Assert.AreEqual(RegistrationMessageType.Registered, reply.Type);
        Assert.AreEqual("1001", reply.Dn);
    }

    [TestMethod]
    public void ASetLearnedHereIsPromptedWithoutItsPinEvenWhenItsMacIsReservedOnAnotherElement()
    {
        using RegistrationFixture element = new();
        element.Forms.MultilineIpSets.Reserve(MacA, "2004", pinMemory: true);
        element.Registered(MacA, "***1000");
        RegistrationMessage reply = element.Register(element.Session(), MacA, null);
        Assert.AreEqual(RegistrationMessageType.PinRequest, reply.Type, "the MAC's own row here decides, not the reservation elsewhere");
        Assert.AreEqual(PinRequestReason.NoneStored, reply.Reason);
    }

    [TestMethod]
    public void TheBareRegistrationCodeSelectsADnOnlyWhenTypedAndARangeIsSet()
    {
        using (RegistrationFixture element = new())
        {
            element.Forms.SystemOptions.AutomaticDnRange = "3000-3009";
            RegistrationSession typed = element.Session();
            element.Register(typed, MacA, null);
            RegistrationOutcome local = typed.Handle(RegistrationMessage.PinEntry("***1000"), 0);
            Assert.AreEqual("1000", local.Replies[0].Dn, "a PIN of a DN is no request for a new one");
            Assert.IsNull(local.Announcement);

            RegistrationOutcome stored = element.Session().Handle(RegistrationMessage.Register(RegistrationFixture.Bytes(MacB), 5320, "1.0.0", "***"), 0);
            Assert.AreEqual(RegistrationMessageType.PinRequest, stored.Replies[0].Type, "a stored bare code of an unknown MAC selects nothing");
            Assert.AreEqual(PinRequestReason.AccessCodeMismatch, stored.Replies[0].Reason);
            Assert.IsNull(stored.Announcement);

            RegistrationSession selecting = element.Session();
            element.Register(selecting, MacB, null);
            RegistrationMessage selected = element.Type(selecting, "***");
            Assert.AreEqual(RegistrationMessageType.Registered, selected.Type);
            Assert.IsTrue(selected.SavePin, "the set stores the bare code and comes back with it");
        }

        using (RegistrationFixture element = new())
        {
            RegistrationSession session = element.Session();
            element.Register(session, MacA, null);
            RegistrationMessage reply = element.Type(session, "***");
            Assert.AreEqual(RegistrationMessageType.PinRequest, reply.Type);
            Assert.AreEqual(PinRequestReason.InvalidAccessCode, reply.Reason, "no range: the bare code names no DN");
        }
    }

    [TestMethod]
    public void AFailoverRegisterGoesToTheSecondaryOnlyForADnHomedHereAsItsSecondary()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        RegistrationMessage reply = element.Register(session, MacA, "***2004", failover: true);
        Assert.AreEqual(RegistrationMessageType.Redirect, reply.Type, "2004's secondary is CEID 3, not this element");
        Assert.AreEqual("10.0.0.2", reply.Host);
        Assert.IsFalse(session.IsSecondaryRegistration);
    }

    [TestMethod]
    public void ARegistrationAtTheSecondaryHasNoNameAndSavesThePin()
    {
        using RegistrationFixture element = new();
        element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("3005", 2, 1);
        RegistrationMessage reply = element.Register(element.Session(), MacA, "***3005", failover: true);
        Assert.AreEqual(RegistrationMessageType.Registered, reply.Type);
        Assert.AreEqual("3005", reply.Dn);
        Assert.AreEqual(string.Empty, reply.DisplayName, "the directory name lives at the primary");
        Assert.IsTrue(reply.SavePin);
        Assert.AreEqual("10.0.0.2", reply.AlternateHost, "the primary, to return to");
    }

    [TestMethod]
    public void ARegistrationARedirectOrASecondaryRegistrationClearsTheWrongPinCount()
    {
        // The limit is 3: two wrong PINs, the good one, then two wrong again stay below it.
        foreach (string good in new[] { "***1000", "***2004", "***3005" })
        {
            using RegistrationFixture element = new();
            element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("3005", 2, 1);
            bool failover = good == "***3005";
            RegistrationSession first = element.Session();
            element.Register(first, MacA, null, failover: failover);
            Assert.AreEqual(PinRequestReason.WrongPin, element.Type(first, "***9999").Reason);
            Assert.AreEqual(PinRequestReason.WrongPin, element.Type(first, "***9998").Reason);
            Assert.AreNotEqual(RegistrationMessageType.PinRequest, element.Type(first, good).Type, good);

            RegistrationSession second = element.Session();
            element.Register(second, MacA, null, failover: failover);
            Assert.AreEqual(PinRequestReason.WrongPin, element.Type(second, "***9999").Reason, good + " did not clear the count");
            Assert.AreEqual(PinRequestReason.WrongPin, element.Type(second, "***9998").Reason, good + " did not clear the count");
        }
    }

    [TestMethod]
    public void ATypedReplacementCodeForADnWithoutASetCountsAsAWrongPinAStoredOneDoesNot()
    {
        using RegistrationFixture element = new();
        for (int boot = 0; boot < 4; boot++)
        {
            RegistrationMessage stored = element.Register(element.Session(), MacB, "###1000");
            Assert.AreEqual(PinRequestReason.InvalidAccessCode, stored.Reason, "boot " + boot);
        }

        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        Assert.AreEqual(PinRequestReason.InvalidAccessCode, element.Type(session, "###1000").Reason);
        Assert.AreEqual(PinRequestReason.InvalidAccessCode, element.Type(session, "###1000").Reason);
        Assert.AreEqual(PinRequestReason.LockedOut, element.Type(session, "###1000").Reason, "the third typed one reaches the limit");
    }

    [TestMethod]
    public void TheResetAfterAReleaseNamesWhy()
    {
        PinRequestReason[] reasons = { PinRequestReason.DnDeleted, PinRequestReason.DnInUse, PinRequestReason.MacDeleted };
        string[] texts = { "dn-deleted", "dn-in-use", "mac-deleted" };
        for (int i = 0; i < reasons.Length; i++)
        {
            using RegistrationFixture element = new();
            RegistrationSession session = element.Registered(MacA, "***1000");
            System.Collections.Generic.List<RegistrationMessage> frames = session.Release(reasons[i], 0);
            Assert.AreEqual(2, frames.Count);
            Assert.AreEqual(reasons[i], frames[0].Reason);
            Assert.AreEqual(RegistrationMessageType.Reset, frames[1].Type);
            Assert.AreEqual(texts[i], frames[1].Text);
        }
    }
}
