using Controller.Registration;
using Protocol.Registration;

namespace Tests.Controller.Registration;

/// <summary>
/// The controller's decisions, one per condition of the seed document (and the facts file), against
/// <see cref="RegistrationSession"/> directly: the frame in, the reply and the session's state out.
/// </summary>
[TestClass]
public sealed class RegistrationSessionTests
{
    private const string MacA = RegistrationFixture.MacA;
    private const string MacB = RegistrationFixture.MacB;

    [TestMethod]
    public void AnUnknownMacWithoutAPinIsAskedForOne()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        RegistrationMessage reply = element.Register(session, MacA, null);
        Assert.AreEqual(RegistrationMessageType.PinRequest, reply.Type);
        Assert.AreEqual(PinRequestReason.NoneStored, reply.Reason);
        Assert.AreEqual(RegistrationSessionState.PinRequested, session.State);
    }

    [TestMethod]
    public void AKnownMacWithoutAPinRegistersWithoutAPrompt()
    {
        using RegistrationFixture element = new();
        element.Forms.MultilineIpSets.Reserve(MacA, "1000", pinMemory: true);
        RegistrationSession session = element.Session();
        RegistrationMessage reply = element.Register(session, MacA, null);
        Assert.AreEqual(RegistrationMessageType.Registered, reply.Type, "the MAC is checked first: " + reply.Type + " " + reply.Reason);
        Assert.AreEqual("1000", reply.Dn);
        Assert.AreEqual("Set 1000", reply.DisplayName);
        Assert.IsFalse(reply.SavePin, "no PIN was used, so there is none to save");
        Assert.AreEqual(RegistrationSessionState.Registered, session.State);
        Assert.AreEqual("1000", session.RegisteredDn);
    }

    [TestMethod]
    public void ASetThatRegisteredByPinAndComesBackWithoutOneIsPromptedForANewPin()
    {
        // '*' held at power-up clears the PIN: "then enter a new PIN when prompted".
        using RegistrationFixture element = new();
        element.Registered(MacA, "***1000");
        RegistrationMessage reply = element.Register(element.Session(), MacA, null);
        Assert.AreEqual(RegistrationMessageType.PinRequest, reply.Type);
        Assert.AreEqual(PinRequestReason.NoneStored, reply.Reason);
    }

    [TestMethod]
    public void APinOfALocalDnRegistersMapsTheMacAndSavesThePin()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        RegistrationMessage reply = element.Type(session, "***1001");
        Assert.AreEqual(RegistrationMessageType.Registered, reply.Type);
        Assert.AreEqual("1001", reply.Dn);
        Assert.IsTrue(reply.SavePin);
        Assert.AreEqual("10.0.0.3", reply.AlternateHost, "the DN's secondary element");
        Assert.AreEqual(6820, reply.AlternatePort);
        Assert.AreEqual("1001", element.Forms.MultilineIpSets.FindDnByMac(MacA));
    }

    [TestMethod]
    public void ARemoteDnSavesThePinAndRedirectsToItsElementNamingItsSecondary()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        RegistrationMessage reply = element.Type(session, "***2004");
        Assert.AreEqual(RegistrationMessageType.Redirect, reply.Type);
        Assert.AreEqual("10.0.0.2", reply.Host);
        Assert.AreEqual(6810, reply.Port);
        Assert.IsTrue(reply.SavePin, "the set saves its PIN first, so the new element does not prompt");
        Assert.AreEqual("10.0.0.3", reply.AlternateHost, "the target DN's secondary element");
        Assert.AreEqual(6820, reply.AlternatePort);
        Assert.AreEqual(RegistrationSessionState.Redirected, session.State);
        Assert.IsNull(element.Forms.MultilineIpSets.FindDnByMac(MacA), "the MAC is mapped at the DN's own element");
    }

    [TestMethod]
    public void APinWhoseDnIsAssignedToAnotherMacClearsThePin()
    {
        using RegistrationFixture element = new();
        element.Registered(MacA, "***1000");
        RegistrationSession other = element.Session();
        RegistrationMessage reply = element.Register(other, MacB, "***1000");
        Assert.AreEqual(RegistrationMessageType.ClearPin, reply.Type);
        Assert.AreEqual(PinRequestReason.DnInUse, reply.Reason);
        Assert.AreEqual(RegistrationSessionState.PinRequested, other.State);
        Assert.AreEqual(MacA, element.Forms.MultilineIpSets.FindMacByDn("1000"));
    }

    [TestMethod]
    public void AnInvalidAccessCodeIsPromptedAgain()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        RegistrationMessage reply = element.Type(session, "*0*1000");
        Assert.AreEqual(RegistrationMessageType.PinRequest, reply.Type);
        Assert.AreEqual(PinRequestReason.InvalidAccessCode, reply.Reason);
        Assert.AreEqual(RegistrationSessionState.PinRequested, session.State);
    }

    [TestMethod]
    public void AStoredPinWithAnotherAccessCodeThanTheSystemsIsPrompted()
    {
        using RegistrationFixture element = new();
        element.Forms.SystemOptions.RegistrationAccessCode = "*7*";
        RegistrationMessage reply = element.Register(element.Session(), MacA, "***1000");
        Assert.AreEqual(RegistrationMessageType.PinRequest, reply.Type);
        Assert.AreEqual(PinRequestReason.AccessCodeMismatch, reply.Reason);
    }

    [TestMethod]
    public void AStoredPinOfAnUnknownDnIsCleared()
    {
        using RegistrationFixture element = new();
        RegistrationMessage reply = element.Register(element.Session(), MacA, "***4444");
        Assert.AreEqual(RegistrationMessageType.ClearPin, reply.Type);
        Assert.AreEqual(PinRequestReason.UnknownDn, reply.Reason);
    }

    [TestMethod]
    public void RepeatedWrongPinsLockTheSetOutAndSayHowLong()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        Assert.AreEqual(PinRequestReason.WrongPin, element.Type(session, "***4444", now: 1_000).Reason);
        Assert.AreEqual(PinRequestReason.WrongPin, element.Type(session, "***4444", now: 2_000).Reason);
        RegistrationMessage locked = element.Type(session, "***4444", now: 3_000);
        Assert.AreEqual(PinRequestReason.LockedOut, locked.Reason);
        Assert.AreEqual(60, locked.RetrySeconds);

        RegistrationMessage still = element.Type(session, "***1000", now: 33_500);
        Assert.AreEqual(PinRequestReason.LockedOut, still.Reason, "even the right PIN waits out the lock-out");
        Assert.AreEqual(30, still.RetrySeconds, "29.5 s left, rounded up");
        Assert.AreEqual(RegistrationMessageType.Registered, element.Type(session, "***1000", now: 63_000).Type);
    }

    [TestMethod]
    public void TheReplacementCodeMovesTheDnToTheNewSetAndNamesTheDisplacedOne()
    {
        using RegistrationFixture element = new();
        element.Registered(MacA, "***1000");
        RegistrationSession replacement = element.Session();
        element.Register(replacement, MacB, null);
        RegistrationOutcome outcome = replacement.Handle(RegistrationMessage.PinEntry("###1000"), 0);
        Assert.AreEqual(RegistrationMessageType.Registered, outcome.Replies[0].Type);
        Assert.AreEqual(MacA, outcome.DisplacedMac, "the old set must be told its DN is gone");
        Assert.AreEqual(MacB, element.Forms.MultilineIpSets.FindMacByDn("1000"));
        Assert.IsNull(element.Forms.MultilineIpSets.FindDnByMac(MacA));
    }

    [TestMethod]
    public void TheReplacementCodeDoesNotWorkUnlessTheDnIsProgrammedWithAMac()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        RegistrationMessage typed = element.Type(session, "###1001");
        Assert.AreEqual(RegistrationMessageType.PinRequest, typed.Type);
        Assert.AreEqual(PinRequestReason.InvalidAccessCode, typed.Reason);

        RegistrationMessage stored = element.Register(element.Session(), MacA, "###1001");
        Assert.AreEqual(RegistrationMessageType.PinRequest, stored.Type, "a stored replacement PIN after the MAC was deleted prompts");
        Assert.IsNull(element.Forms.MultilineIpSets.FindMacByDn("1001"));
    }

    [TestMethod]
    public void AStoredReplacementPinDoesNotTakeTheDnFromTheSetThatHoldsIt()
    {
        // Two sets that both stored ###1000 would otherwise take DN 1000 from each other on every reboot.
        using RegistrationFixture element = new();
        element.Registered(MacA, "***1000");
        RegistrationSession second = element.Session();
        element.Register(second, MacB, null);
        element.Type(second, "###1000");
        Assert.AreEqual(MacB, element.Forms.MultilineIpSets.FindMacByDn("1000"));

        RegistrationOutcome reboot = element.Session().Handle(RegistrationMessage.Register(RegistrationFixture.Bytes(MacA), 5320, "1.0.0", "###1000"), 0);
        Assert.AreEqual(RegistrationMessageType.ClearPin, reboot.Replies[0].Type);
        Assert.AreEqual(PinRequestReason.DnInUse, reboot.Replies[0].Reason);
        Assert.IsNull(reboot.DisplacedMac);
        Assert.AreEqual(MacB, element.Forms.MultilineIpSets.FindMacByDn("1000"), "the set that typed the replacement keeps the DN");
        Assert.AreEqual(RegistrationMessageType.Registered, element.Register(element.Session(), MacB, "###1000").Type, "and re-registers with its stored replacement PIN");
    }

    [TestMethod]
    public void ADisplacedSetIsToldToClearItsPinAndReset()
    {
        using RegistrationFixture element = new();
        RegistrationSession old = element.Registered(MacA, "***1000");
        element.Registered(MacB, "###1000");
        System.Collections.Generic.List<RegistrationMessage> frames = old.Recheck(5);
        Assert.AreEqual(2, frames.Count);
        Assert.AreEqual(RegistrationMessageType.ClearPin, frames[0].Type);
        Assert.AreEqual(PinRequestReason.DnInUse, frames[0].Reason);
        Assert.AreEqual(RegistrationMessageType.Reset, frames[1].Type);
        Assert.AreEqual(RegistrationSessionState.Released, old.State);
        Assert.IsNull(old.RegisteredDn, "one DN, one live registration");
    }

    [TestMethod]
    public void DeletingTheDnWhileTheSetIsConnectedClearsItsPinAndResetsIt()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Registered(MacA, "***1000");
        Assert.AreEqual(0, session.Recheck(1).Count, "nothing changed yet");
        element.Forms.TelephoneDirectory.Delete("1000");
        System.Collections.Generic.List<RegistrationMessage> frames = session.Recheck(2);
        Assert.AreEqual(PinRequestReason.DnDeleted, frames[0].Reason);
        Assert.AreEqual(RegistrationMessageType.Reset, frames[1].Type);
    }

    [TestMethod]
    public void DeletingTheSetByMacByDnOrClearingItsMacWhileConnectedClearsItsPinAndResetsIt()
    {
        using RegistrationFixture element = new();
        RegistrationSession byMac = element.Registered(MacA, "***1000");
        RegistrationSession byDn = element.Registered(MacB, "***1001");
        Assert.IsTrue(element.Forms.MultilineIpSets.DeleteByMac(MacA));
        Assert.IsTrue(element.Forms.MultilineIpSets.DeleteByDn("1001"));
        Assert.AreEqual(PinRequestReason.MacDeleted, byMac.Recheck(1)[0].Reason);
        Assert.AreEqual(PinRequestReason.MacDeleted, byDn.Recheck(1)[0].Reason);
        Assert.IsNotNull(element.Forms.TelephoneDirectory.Find("1001"), "the DN itself stays");

        RegistrationSession cleared = element.Registered(MacA, "***1000");
        Assert.IsTrue(element.Forms.MultilineIpSets.ClearMac("1000"));
        Assert.IsFalse(element.Forms.MultilineIpSets.ClearMac("1000"), "no MAC left to clear");
        Assert.AreEqual(PinRequestReason.MacDeleted, cleared.Recheck(2)[0].Reason);
        Assert.AreEqual(1, CountRows(element, "1000"), "clearing the MAC keeps the row");
    }

    [TestMethod]
    public void ASetRegisteredAtItsSecondaryIsReleasedWhenItsDnIsDeletedAtThePrimary()
    {
        using RegistrationFixture element = new();
        element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("2100", 2, 1);
        RegistrationSession session = element.Session();
        RegistrationMessage registered = element.Register(session, MacA, "***2100", failover: true);
        Assert.AreEqual(RegistrationMessageType.Registered, registered.Type);
        Assert.AreEqual("10.0.0.2", registered.AlternateHost, "the primary to return to");
        Assert.AreEqual(RegistrationSessionState.RegisteredAtSecondary, session.State);

        RegistrationOutcome update = element.Session().Handle(RegistrationMessage.RdnUpdate("2100", 2, 1, true), 3);
        Assert.IsNotNull(update.AppliedUpdate);
        System.Collections.Generic.List<RegistrationMessage> frames = session.Recheck(4);
        Assert.AreEqual(2, frames.Count, "the delete-while-connected check covers a secondary registration");
        Assert.AreEqual(PinRequestReason.DnDeleted, frames[0].Reason);
    }

    [TestMethod]
    public void AnAdministratorCanReleaseASetRegisteredAtItsSecondary()
    {
        using RegistrationFixture element = new();
        element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("2100", 2, 1);
        RegistrationSession session = element.Session();
        element.Register(session, MacA, "***2100", failover: true);
        System.Collections.Generic.List<RegistrationMessage> frames = session.Release(PinRequestReason.MacDeleted, 9);
        Assert.AreEqual(RegistrationMessageType.ClearPin, frames[0].Type);
        Assert.AreEqual(RegistrationMessageType.Reset, frames[1].Type);
        Assert.AreEqual(0, session.Release(PinRequestReason.MacDeleted, 10).Count, "released once");
    }

    [TestMethod]
    public void AutomaticDnSelectionCreatesAUserlessDnAndAnnouncesItToTheOtherElements()
    {
        using RegistrationFixture element = new();
        element.Forms.SystemOptions.AutomaticDnRange = "3000-3009";
        element.Forms.TelephoneDirectory.Add("3000", "Local only");
        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        RegistrationOutcome outcome = session.Handle(RegistrationMessage.PinEntry("***"), 0);
        Assert.AreEqual("3001", outcome.Replies[0].Dn);
        Assert.AreEqual("IP Device Only", element.Forms.TelephoneDirectory.Find("3001"));
        Assert.IsNotNull(outcome.Announcement, "the new DN is announced (RDN update), not left for a flag");
        Assert.AreEqual(RegistrationMessageType.RdnUpdate, outcome.Announcement!.Type);
        Assert.AreEqual("3001", outcome.Announcement.Dn);
        Assert.AreEqual(1, outcome.Announcement.CeidIndex);
        Assert.IsFalse(outcome.Announcement.Deleted);
    }

    [TestMethod]
    public void AutomaticDnSelectionGivesUpAfterTenConsecutiveTakenDns()
    {
        using RegistrationFixture element = new();
        element.Forms.SystemOptions.AutomaticDnRange = "3000-3019";
        for (int n = 0; n < 10; n++)
        {
            element.Forms.TelephoneDirectory.Add("30" + n.ToString("00", System.Globalization.CultureInfo.InvariantCulture), "Local only");
        }

        RegistrationSession session = element.Session();
        element.Register(session, MacA, null);
        RegistrationOutcome outcome = session.Handle(RegistrationMessage.PinEntry("***"), 0);
        Assert.AreEqual(RegistrationMessageType.PinRequest, outcome.Replies[0].Type, "3010 is free but ten in a row were taken");
        Assert.AreEqual(PinRequestReason.UnknownDn, outcome.Replies[0].Reason);
        Assert.IsNull(outcome.Announcement);
        Assert.IsNull(element.Forms.TelephoneDirectory.Find("3010"));

        element.Forms.TelephoneDirectory.Delete("3009");
        Assert.AreEqual("3009", element.Type(session, "***").Dn, "nine in a row: the tenth DN is taken");
    }

    [TestMethod]
    public void AUserlessDeviceReRegistersWithTheBareAccessCodeItStored()
    {
        using RegistrationFixture element = new();
        element.Forms.SystemOptions.AutomaticDnRange = "3000-3009";
        element.Registered(MacA, "***");
        RegistrationOutcome reboot = element.Session().Handle(RegistrationMessage.Register(RegistrationFixture.Bytes(MacA), 5320, "1.0.0", "***"), 0);
        Assert.AreEqual(RegistrationMessageType.Registered, reboot.Replies[0].Type);
        Assert.AreEqual("3000", reboot.Replies[0].Dn);
        Assert.IsNull(reboot.Announcement, "no second DN");
    }

    [TestMethod]
    public void The5485PagingUnitHasNoPinMemoryAndIsNeverPrompted()
    {
        using RegistrationFixture element = new();
        RegistrationMessage unreserved = element.Register(element.Session(), MacA, null, setType: 5485);
        Assert.AreEqual(RegistrationMessageType.Error, unreserved.Type);
        StringAssert.Contains(unreserved.Text, "reserve MAC " + MacA);

        element.Forms.MultilineIpSets.Reserve(MacA, "1001", pinMemory: false);
        RegistrationMessage reply = element.Register(element.Session(), MacA, null, setType: 5485);
        Assert.AreEqual(RegistrationMessageType.Registered, reply.Type);
        Assert.AreEqual("1001", reply.Dn);
        Assert.IsFalse(reply.SavePin);
    }

    [TestMethod]
    public void ARowWithoutPinMemoryRegistersByItsMacWhateverTheSetType()
    {
        using RegistrationFixture element = new();
        element.Forms.MultilineIpSets.Reserve(MacA, "1001", pinMemory: false);
        element.Forms.MultilineIpSets.Map(MacA, "1001"); // a PIN registration does not make it forget it cannot store one
        RegistrationMessage reply = element.Register(element.Session(), MacA, "***1000", setType: 5320);
        Assert.AreEqual(RegistrationMessageType.Registered, reply.Type);
        Assert.AreEqual("1001", reply.Dn, "the pin_memory column is read: the MAC decides, the PIN is ignored");
        Assert.IsFalse(reply.SavePin);
    }

    [TestMethod]
    public void ADeviceWithoutPinMemoryReservedOnAnotherElementsDnIsRedirectedThere()
    {
        using RegistrationFixture element = new();
        element.Forms.MultilineIpSets.Reserve(MacA, "2004", pinMemory: false);
        RegistrationSession session = element.Session();
        RegistrationMessage reply = element.Register(session, MacA, null, setType: 5540);
        Assert.AreEqual(RegistrationMessageType.Redirect, reply.Type, reply.Text);
        Assert.AreEqual("10.0.0.2", reply.Host);
        Assert.AreEqual(6810, reply.Port);
        Assert.IsFalse(reply.SavePin, "it has no PIN to save");
        Assert.AreEqual("10.0.0.3", reply.AlternateHost);
        Assert.AreEqual(RegistrationSessionState.Redirected, session.State);
    }

    [TestMethod]
    public void AnRdnUpdateFromAnotherElementIsAppliedButNeverShadowsALocalDn()
    {
        using RegistrationFixture element = new();
        RegistrationSession link = element.Session();
        RegistrationOutcome added = link.Handle(RegistrationMessage.RdnUpdate("2500", 2, 3, false), 0);
        Assert.IsNotNull(added.AppliedUpdate);
        Assert.AreEqual(0, added.Replies.Count);
        Assert.AreEqual(RegistrationSessionState.ElementLink, link.State);
        Assert.AreEqual((2, (int?)3), element.Forms.ClusterDirectory.RemoteHomes("2500"));

        RegistrationOutcome shadow = link.Handle(RegistrationMessage.RdnUpdate("1000", 2, 0, false), 0);
        Assert.IsNull(shadow.AppliedUpdate);
        Assert.IsNull(element.Forms.ClusterDirectory.ResolveRemote("1000"));
    }

    [TestMethod]
    public void AnRdnUpdateKeepsToTheElementIndexRangeAndASecondaryLikeThePrimaryIsNone()
    {
        using RegistrationFixture element = new();
        RegistrationSession link = element.Session();
        Assert.IsNull(link.Handle(RegistrationMessage.RdnUpdate("2600", 0, 0, false), 0).AppliedUpdate, "CEID 0 is refused");
        Assert.IsNull(link.Handle(RegistrationMessage.RdnUpdate("2601", 1000, 0, false), 0).AppliedUpdate, "CEID 1000 is refused");
        Assert.IsNull(element.Forms.ClusterDirectory.RemoteHomes("2600"));
        Assert.IsNull(element.Forms.ClusterDirectory.RemoteHomes("2601"));

        Assert.IsNotNull(link.Handle(RegistrationMessage.RdnUpdate("2602", 1, 0, false), 0).AppliedUpdate, "CEID 1 is the first index");
        Assert.IsNotNull(link.Handle(RegistrationMessage.RdnUpdate("2603", 999, 0, false), 0).AppliedUpdate, "CEID 999 is the last index");
        Assert.AreEqual((1, (int?)null), element.Forms.ClusterDirectory.RemoteHomes("2602"));
        Assert.AreEqual((999, (int?)null), element.Forms.ClusterDirectory.RemoteHomes("2603"));

        Assert.IsNotNull(link.Handle(RegistrationMessage.RdnUpdate("2604", 2, 2, false), 0).AppliedUpdate);
        Assert.AreEqual((2, (int?)null), element.Forms.ClusterDirectory.RemoteHomes("2604"), "a secondary equal to the primary is no secondary");
    }

    [TestMethod]
    public void APinEntryBeforeRegisterIsAnError()
    {
        using RegistrationFixture element = new();
        RegistrationSession session = element.Session();
        RegistrationOutcome outcome = session.Handle(RegistrationMessage.PinEntry("***1000"), 0);
        Assert.AreEqual(RegistrationMessageType.Error, outcome.Replies[0].Type);
        Assert.AreEqual("PinEntry before Register", outcome.Replies[0].Text);
        Assert.AreEqual(RegistrationSessionState.AwaitingRegister, session.State);
    }

    private static long CountRows(RegistrationFixture element, string dn)
    {
        return (long)element.Database.Scalar("SELECT count(*) FROM multiline_ip_sets WHERE dn = $dn", ("$dn", dn))!;
    }
}
