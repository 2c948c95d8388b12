using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Hal.Host;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Tests.Support;

namespace Tests.Integration;

/// <summary>The first boot of issue 2 on real loopback sockets: DHCP → TFTP → PIN prompt → registered → re-registered from flash.</summary>
[TestClass]
public class FirstBootOnLoopbackTests
{
    [TestMethod]
    public async Task AnUnknownSetIsPromptedRegistersWithItsPinAndStoresIt()
    {
        await using LoopbackBench bench = new();
        List<PhoneEvent> events = bench.Boot("00:08:5d:00:10:00", "***1000", EventNames.Registered);

        PhoneEvent bound = Single(events, EventNames.DhcpBound);
        string[] callServers = (string[])bound.Find("callServers")!;
        Assert.AreEqual(1, callServers.Length);
        Assert.AreEqual("127.0.0.1:" + bench.Element.RegistrationPort, callServers[0]);
        Assert.AreEqual("127.0.0.1:" + bench.Element.TftpPort, ((string[])bound.Find("tftpServers")!)[0]);
        Assert.AreEqual(125, bound.Find("option"));

        Assert.AreEqual(1, Single(events, EventNames.TftpManifest).Find("entries"));
        PhoneEvent tftp = Single(events, EventNames.TftpDone);
        byte[] bootFile = File.ReadAllBytes(bench.BootFile);
        string sha256 = Convert.ToHexString(SHA256.HashData(bootFile)).ToLowerInvariant();
        Assert.AreEqual("boot.img", tftp.Find("file"));
        Assert.AreEqual((long)bootFile.Length, tftp.Find("bytes"));
        Assert.AreEqual(sha256, tftp.Find("sha256"));
        Assert.AreEqual(true, tftp.Find("verified"));
        Assert.AreEqual(sha256[..12], tftp.Find("version"));

        Assert.AreEqual(false, Single(events, EventNames.RegisterSent).Find("pin"));
        Assert.AreEqual("none-stored", Single(events, EventNames.PinPrompt).Find("reason"));
        Assert.AreEqual("***1000", Single(events, EventNames.PinSaved).Find("pin"));
        PhoneEvent registered = Single(events, EventNames.Registered);
        Assert.AreEqual("1000", registered.Find("dn"));
        Assert.AreEqual("127.0.0.1:" + bench.Element.RegistrationPort, registered.Find("controller"));

        using FileFlashRegion flash = new(bench.FlashPath("00:08:5d:00:10:00"), PinStore.RegionSize);
        Assert.AreEqual("***1000", new PinStore(flash).ReadPin());
        Assert.AreEqual("00:08:5d:00:10:00", bench.Element.Forms.MultilineIpSets.FindMacByDn("1000"));
    }

    [TestMethod]
    public async Task TheSameSetRegistersAgainFromFlashWithoutAPrompt()
    {
        await using LoopbackBench bench = new();
        bench.Boot("00:08:5d:00:10:00", "***1000", EventNames.Registered);
        List<PhoneEvent> second = bench.Boot("00:08:5d:00:10:00", null, EventNames.Registered);

        Assert.AreEqual(true, Single(second, EventNames.RegisterSent).Find("pin"));
        Assert.AreEqual(0, Count(second, EventNames.PinPrompt), LoopbackBench.Describe(second));
        Assert.AreEqual(0, Count(second, EventNames.PinSaved), "an unchanged PIN is not written again");
        Assert.AreEqual("1000", Single(second, EventNames.Registered).Find("dn"));
    }

    [TestMethod]
    public async Task TheBootImageIsWrittenOnceThenSkippedWhileItsVersionIsInstalled()
    {
        await using LoopbackBench bench = new();
        string imageFlash = bench.FlashPath("00:08:5d:00:10:00") + ".image";
        List<PhoneEvent> first = bench.Boot("00:08:5d:00:10:00", "***1000", EventNames.Registered, "--image-flash", imageFlash);
        Assert.AreEqual(true, Single(first, EventNames.TftpDone).Find("written"));

        List<PhoneEvent> second = bench.Boot("00:08:5d:00:10:00", null, EventNames.Registered, "--image-flash", imageFlash);
        Assert.AreEqual(0, Count(second, EventNames.TftpDone), LoopbackBench.Describe(second));
        PhoneEvent skipped = Single(second, EventNames.TftpSkipped);
        Assert.AreEqual("installed", skipped.Find("reason"));
        Assert.AreEqual(Single(first, EventNames.TftpDone).Find("version"), skipped.Find("version"));

        byte[] bootFile = File.ReadAllBytes(bench.BootFile);
        byte[] written = new byte[bootFile.Length];
        using (FileStream image = File.OpenRead(imageFlash))
        {
            image.ReadExactly(written, 0, written.Length);
        }

        CollectionAssert.AreEqual(bootFile, written, "the image flash's first half holds the boot file");
    }

    [TestMethod]
    public async Task HoldingStarAtPowerUpClearsThePinAndPromptsAgain()
    {
        await using LoopbackBench bench = new();
        bench.Boot("00:08:5d:00:10:00", "***1000", EventNames.Registered);
        List<PhoneEvent> events = bench.Boot("00:08:5d:00:10:00", null, EventNames.PinPrompt, "--hold-star");

        Assert.AreEqual("star-held-at-power-up", Single(events, EventNames.PinCleared).Find("reason"));
        Assert.AreEqual(false, Single(events, EventNames.RegisterSent).Find("pin"));
        using FileFlashRegion flash = new(bench.FlashPath("00:08:5d:00:10:00"), PinStore.RegionSize);
        Assert.IsNull(new PinStore(flash).ReadPin());
    }

    [TestMethod]
    public async Task APinTypedOnTheKeypadRegistersTheSet()
    {
        await using LoopbackBench bench = new();
        List<PhoneEvent> events = bench.Boot("00:08:5d:00:10:01", null, EventNames.Registered, "--keys", "***1001{ok}");
        Assert.AreEqual("1001", Single(events, EventNames.Registered).Find("dn"));
        Assert.AreEqual("***1001", Single(events, EventNames.PinSaved).Find("pin"));
    }

    [TestMethod]
    public async Task ASecondSetAskingForATakenDnIsToldToClearItsPin()
    {
        await using LoopbackBench bench = new();
        bench.Boot("00:08:5d:00:10:00", "***1000", EventNames.Registered);
        List<PhoneEvent> events = bench.Boot("00:08:5d:00:10:02", "***1000", EventNames.PinCleared);
        Assert.AreEqual("dn-in-use", Single(events, EventNames.PinCleared).Find("reason"));
        Assert.AreEqual(0, Count(events, EventNames.Registered));
    }

    [TestMethod]
    public async Task AnInvalidAccessCodePromptsAgain()
    {
        await using LoopbackBench bench = new();
        List<PhoneEvent> events = bench.Boot("00:08:5d:00:10:03", "*#*1000", (e, all) => e.Name == EventNames.PinPrompt && Count(all, EventNames.PinPrompt) == 2, "a second PIN prompt");
        List<PhoneEvent> prompts = events.FindAll(e => e.Name == EventNames.PinPrompt);
        Assert.AreEqual("none-stored", prompts[0].Find("reason"));
        Assert.AreEqual("invalid-access-code", prompts[1].Find("reason"));
        Assert.AreEqual(0, Count(events, EventNames.PinSaved));
    }

    private static PhoneEvent Single(List<PhoneEvent> events, string name)
    {
        PhoneEvent? found = null;
        foreach (PhoneEvent e in events)
        {
            if (e.Name == name)
            {
                Assert.IsNull(found, "more than one " + name + ":\n" + LoopbackBench.Describe(events));
                found = e;
            }
        }

        Assert.IsNotNull(found, "no " + name + ":\n" + LoopbackBench.Describe(events));
        return found;
    }

    private static int Count(List<PhoneEvent> events, string name)
    {
        return events.FindAll(e => e.Name == name).Count;
    }
}
