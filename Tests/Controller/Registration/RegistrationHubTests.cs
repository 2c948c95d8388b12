using System.Collections.Generic;
using Controller.Registration;
using Protocol.Registration;

namespace Tests.Controller.Registration;

/// <summary>
/// <see cref="RegistrationHub"/>, the code `controller serve` and the simulation both drive: what
/// one link's frame does to the other links, and what it asks of the cluster.
/// </summary>
[TestClass]
public sealed class RegistrationHubTests
{
    [TestMethod]
    public void AReplacementEndsTheLiveRegistrationOfTheSetThatHeldTheDn()
    {
        using RegistrationFixture element = new();
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        Transport broken = new();
        RegistrationLink old = hub.Open(broken);
        Feed(hub, old, RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacA), 5320, "1.0.0", "***1000"));
        Assert.AreEqual(RegistrationMessageType.Registered, broken.Frames[0].Type, "a stored PIN of a free DN registers");

        Transport replacement = new();
        RegistrationLink link = hub.Open(replacement);
        Feed(hub, link, RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacB), 5320, "1.0.0", null));
        Feed(hub, link, RegistrationMessage.PinEntry("###1000"));
        Assert.AreEqual(RegistrationMessageType.Registered, replacement.Frames[^1].Type);

        Assert.AreEqual(3, broken.Frames.Count, "the displaced set is told at once: " + string.Join(", ", broken.Frames.ConvertAll(f => f.Type.ToString())));
        Assert.AreEqual(RegistrationMessageType.ClearPin, broken.Frames[1].Type);
        Assert.AreEqual(PinRequestReason.DnInUse, broken.Frames[1].Reason);
        Assert.AreEqual(RegistrationMessageType.Reset, broken.Frames[2].Type);
        CollectionAssert.AreEqual(new List<(string, string)> { (RegistrationFixture.MacB, "1000") }, hub.LiveRegistrations(), "one DN, one live registration");
    }

    [TestMethod]
    public void ADnTakenByAutomaticDnSelectionIsAnnouncedToTheCluster()
    {
        using RegistrationFixture element = new();
        element.Forms.SystemOptions.AutomaticDnRange = "3000-3009";
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        List<RegistrationMessage> announced = new();
        hub.Announce += announced.Add;
        RegistrationLink link = hub.Open(new Transport());
        Feed(hub, link, RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacA), 5320, "1.0.0", null));
        Assert.AreEqual(0, announced.Count);
        Feed(hub, link, RegistrationMessage.PinEntry("***"));
        Assert.AreEqual(1, announced.Count);
        Assert.AreEqual("3000", announced[0].Dn);
        Assert.AreEqual(1, announced[0].CeidIndex);
    }

    [TestMethod]
    public void AnUpdateDeletingTheDnOfASecondaryRegistrationReleasesTheSet()
    {
        using RegistrationFixture element = new();
        element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("2100", 2, 1);
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        List<RegistrationMessage> applied = new();
        hub.RdnUpdated += applied.Add;
        Transport phone = new();
        RegistrationLink set = hub.Open(phone);
        RegistrationMessage register = RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacA), 5320, "1.0.0", "***2100");
        register.Failover = true;
        Feed(hub, set, register);
        Assert.AreEqual(1, hub.LiveRegistrations().Count);

        RegistrationLink peer = hub.Open(new Transport());
        Feed(hub, peer, RegistrationMessage.RdnUpdate("2100", 2, 1, true));
        Assert.AreEqual(1, applied.Count);
        Assert.AreEqual(RegistrationMessageType.ClearPin, phone.Frames[1].Type);
        Assert.AreEqual(PinRequestReason.DnDeleted, phone.Frames[1].Reason);
        Assert.AreEqual(0, hub.LiveRegistrations().Count);
    }

    [TestMethod]
    public void AnAdministratorsDeleteReachesASetRegisteredAtItsSecondary()
    {
        using RegistrationFixture element = new();
        element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("2100", 2, 1);
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        Transport phone = new();
        RegistrationLink set = hub.Open(phone);
        RegistrationMessage register = RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacA), 5320, "1.0.0", "***2100");
        register.Failover = true;
        Feed(hub, set, register);
        Assert.AreEqual(0, hub.Recheck(1), "the forms here did not change");
        Assert.AreEqual(0, hub.ReleaseSecondary(RegistrationFixture.MacB, null, 2), "another MAC");
        Assert.AreEqual(1, hub.ReleaseSecondary(null, "2100", 3));
        Assert.AreEqual(PinRequestReason.DnDeleted, phone.Frames[1].Reason);
        Assert.AreEqual(RegistrationMessageType.Reset, phone.Frames[2].Type);
    }

    [TestMethod]
    public void AMalformedStreamIsAnsweredWithAnErrorCountedAndEndsTheLink()
    {
        using RegistrationFixture element = new();
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        Transport peer = new();
        RegistrationLink link = hub.Open(peer);
        Assert.AreEqual(-1, hub.Receive(link, new byte[] { 9, 1, 0, 0 }, 0, 4, 0));
        Assert.AreEqual(RegistrationMessageType.Error, peer.Frames[0].Type);
        Assert.AreEqual(1, hub.MalformedFrames);
    }

    [TestMethod]
    public void EachDecisionOnASetsLinkAndItsCloseAreReported()
    {
        using RegistrationFixture element = new();
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        List<(string Mac, RegistrationMessageType Frame, int Replies)> decided = new();
        List<string> closed = new();
        hub.Decided += (mac, frame, replies, _) => decided.Add((mac, frame.Type, replies.Count));
        hub.Disconnected += closed.Add;
        RegistrationLink peer = hub.Open(new Transport());
        Feed(hub, peer, RegistrationMessage.RdnUpdate("2500", 2, 0, false));
        hub.Close(peer);
        Assert.AreEqual(0, decided.Count + closed.Count, "an element's link is not a set");

        RegistrationLink link = hub.Open(new Transport());
        Feed(hub, link, RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacA), 5320, "1.0.0", null));
        Feed(hub, link, RegistrationMessage.PinEntry("***1000"));
        hub.Close(link);
        CollectionAssert.AreEqual(new List<(string, RegistrationMessageType, int)> { (RegistrationFixture.MacA, RegistrationMessageType.Register, 1), (RegistrationFixture.MacA, RegistrationMessageType.PinEntry, 1) }, decided);
        CollectionAssert.AreEqual(new List<string> { RegistrationFixture.MacA }, closed);
    }

    [TestMethod]
    public void TheHubsRecheckReleasesEveryLiveSetWhoseDnWasDeleted()
    {
        using RegistrationFixture element = new();
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        Transport phone = new();
        Feed(hub, hub.Open(phone), RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacA), 5320, "1.0.0", "***1000"));
        Assert.AreEqual(RegistrationMessageType.Registered, phone.Frames[0].Type);
        element.Forms.TelephoneDirectory.Delete("1000");
        Assert.AreEqual(1, hub.Recheck(1));
        Assert.AreEqual(RegistrationMessageType.ClearPin, phone.Frames[1].Type);
        Assert.AreEqual(PinRequestReason.DnDeleted, phone.Frames[1].Reason);
        Assert.AreEqual("dn-deleted", phone.Frames[2].Text);
    }

    [TestMethod]
    public void ReleasingSecondaryRegistrationsPicksTheSetsByDnOrByMacAndSaysWhich()
    {
        using RegistrationFixture element = new();
        element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("2100", 2, 1);
        element.Forms.ClusterDirectory.AddRemoteDirectoryNumber("2101", 2, 1);
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        Transport first = new();
        Transport second = new();
        foreach ((Transport phone, string mac, string pin) in new[] { (first, RegistrationFixture.MacA, "***2100"), (second, RegistrationFixture.MacB, "***2101") })
        {
            RegistrationMessage register = RegistrationMessage.Register(RegistrationFixture.Bytes(mac), 5320, "1.0.0", pin);
            register.Failover = true;
            Feed(hub, hub.Open(phone), register);
            Assert.AreEqual(RegistrationMessageType.Registered, phone.Frames[0].Type);
        }

        Assert.AreEqual(1, hub.ReleaseSecondary(null, "2100", 1), "by DN: only the set on that DN");
        Assert.AreEqual(PinRequestReason.DnDeleted, first.Frames[1].Reason);
        Assert.AreEqual(1, second.Frames.Count);

        Assert.AreEqual(1, hub.ReleaseSecondary(RegistrationFixture.MacB, null, 2), "by MAC alone");
        Assert.AreEqual(PinRequestReason.MacDeleted, second.Frames[1].Reason);
        Assert.AreEqual("mac-deleted", second.Frames[2].Text);
    }

    [TestMethod]
    public void AnAppliedRdnUpdateIsReportedAndAnIgnoredOneIsNot()
    {
        using RegistrationFixture element = new();
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        List<RegistrationMessage?> applied = new();
        hub.RdnUpdated += applied.Add;
        RegistrationLink peer = hub.Open(new Transport());
        Feed(hub, peer, RegistrationMessage.RdnUpdate("1000", 2, 0, false));
        Assert.AreEqual(0, applied.Count, "a DN programmed here is never shadowed, so nothing changed");
        Feed(hub, peer, RegistrationMessage.RdnUpdate("2500", 2, 0, false));
        Assert.AreEqual(1, applied.Count);
        Assert.AreEqual("2500", applied[0]!.Dn);
    }

    [TestMethod]
    public void EachFrameSentIsReportedWithTheSetsMacOrThePeerUntilItHasOne()
    {
        using RegistrationFixture element = new();
        RegistrationHub hub = new(element.Forms, new object(), element.Policy);
        List<(string To, RegistrationMessageType Frame)> replied = new();
        hub.Replied += (to, frame) => replied.Add((to, frame.Type));
        RegistrationLink link = hub.Open(new Transport());
        Feed(hub, link, RegistrationMessage.PinEntry("***1000"));
        Feed(hub, link, RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacA), 5320, "1.0.0", null));
        CollectionAssert.AreEqual(new List<(string, RegistrationMessageType)> { ("test", RegistrationMessageType.Error), (RegistrationFixture.MacA, RegistrationMessageType.PinRequest) }, replied);

        replied.Clear();
        RegistrationLink refusing = hub.Open(new Transport { Accepts = false });
        Feed(hub, refusing, RegistrationMessage.Register(RegistrationFixture.Bytes(RegistrationFixture.MacB), 5320, "1.0.0", null));
        Assert.AreEqual(0, replied.Count, "a frame the link did not take was not sent");
    }

    private static void Feed(RegistrationHub hub, RegistrationLink link, RegistrationMessage frame)
    {
        byte[] bytes = RegistrationCodec.Encode(frame);
        Assert.AreEqual(1, hub.Receive(link, bytes, 0, bytes.Length, 0));
    }

    private sealed class Transport : IRegistrationTransport
    {
        public List<RegistrationMessage> Frames { get; } = new();

        public string Peer => "test";

        /// <summary>False: a link whose socket refuses every frame (closed, or its queue full).</summary>
        public bool Accepts { get; init; } = true;

        public bool Send(RegistrationMessage frame)
        {
            if (Accepts)
            {
                Frames.Add(frame);
            }

            return Accepts;
        }
    }
}
