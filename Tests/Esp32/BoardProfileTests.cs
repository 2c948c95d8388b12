using System;
using System.IO;
using Hal.Esp32;
using Tests.Support;

namespace Tests.Esp32;

/// <summary>The board profile format (hardware/README.md) and the shipped profiles parse as documented.</summary>
[TestClass]
public class BoardProfileTests
{
    [TestMethod]
    public void TheOlimexEthernetProfileParses()
    {
        BoardProfile profile = BoardProfile.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "hardware", "profiles", "olimex-esp32-poe.conf")));
        Assert.AreEqual("ethernet", profile.Network);
        Assert.AreEqual(13, profile.I2cDataPin);
        Assert.AreEqual(16, profile.I2cClockPin);
        Assert.AreEqual(0x3C, profile.DisplayAddress);
        CollectionAssert.AreEqual(new[] { 4, 14, 32, 33 }, profile.KeypadRowPins);
        CollectionAssert.AreEqual(new[] { 5, 35, 36, 39 }, profile.KeypadColumnPins);
        Assert.AreEqual("external", profile.KeypadPullUp);
        Assert.AreEqual("I:\\pin.rec", profile.PinFile);
    }

    [TestMethod]
    public void TheDevKitCWifiProfileParses()
    {
        BoardProfile profile = BoardProfile.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "hardware", "profiles", "esp32-devkitc-wifi.conf")));
        Assert.AreEqual("wifi", profile.Network);
        Assert.AreEqual(string.Empty, profile.WifiSsid);
        Assert.AreEqual(21, profile.I2cDataPin);
        Assert.AreEqual("internal", profile.KeypadPullUp);
        Assert.AreEqual(16, profile.KeypadMap.Length);
    }

    [TestMethod]
    public void WindowsLineEndsCommentsAndHexAreAccepted()
    {
        BoardProfile profile = BoardProfile.Parse("# c\r\nkeypad-rows = 1,2\r\nkeypad-columns=3, 4 # trailing\r\nkeypad-map = 12*#\r\ndisplay-address = 0x3d\r\n");
        Assert.AreEqual(0x3D, profile.DisplayAddress);
        CollectionAssert.AreEqual(new[] { 3, 4 }, profile.KeypadColumnPins);
    }

    [TestMethod]
    public void MistakesAreRefusedWithTheLine()
    {
        AssertRefused("keypad-rows = 1\nkeypad-columns = 2\nkeypad-map = 1\nkeypad-colums = 3\n", "line 4");
        AssertRefused("keypad-rows = 1,x\n", "keypad-rows is not a number");
        AssertRefused("keypad-rows = 1\nkeypad-columns = 2\nkeypad-map = 12\n", "one character per key");
        AssertRefused("network = ethernet-ish\n", "network is ethernet or wifi");
        AssertRefused("keypad-rows = 1\nkeypad-columns = 2\nkeypad-map = 1\ni2c-bus = 3\n", "i2c-bus is 1 or 2");
    }

    private static void AssertRefused(string text, string expected)
    {
        try
        {
            BoardProfile.Parse(text);
        }
        catch (ArgumentException error)
        {
            Assert.IsTrue(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
            return;
        }

        Assert.Fail("accepted: " + text);
    }
}
