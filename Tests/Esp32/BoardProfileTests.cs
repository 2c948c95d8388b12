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
        Assert.AreEqual(131072, profile.ImageFlashBytes);
        Assert.AreEqual(2, profile.TestPortUart);
        Assert.AreEqual("COM3", profile.TestPortName);
        Assert.AreEqual(2, profile.TestPortTxPin);
        Assert.AreEqual(15, profile.TestPortRxPin);
        Assert.AreEqual(115200, profile.TestPortBaudRate);
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
        Assert.AreEqual(17, profile.TestPortTxPin);
        Assert.AreEqual(16, profile.TestPortRxPin);
    }

    [TestMethod]
    public void TheTestPortIsOptionalAndItsPinsAreChecked()
    {
        const string keypad = "keypad-rows = 25\nkeypad-columns = 32\nkeypad-map = 1\n";
        Assert.AreEqual(0, BoardProfile.Parse(keypad).TestPortUart);
        Assert.AreEqual("COM2", BoardProfile.Parse(keypad + "test-port-uart = 1\ntest-port-tx = 4\ntest-port-rx = 34\n").TestPortName);
        AssertRefused(keypad + "test-port-tx = 17\n", "need test-port-uart");
        AssertRefused(keypad + "test-port-uart = 0x0\ntest-port-rx = 16\n", "need test-port-uart");
        AssertRefused(keypad + "test-port-uart = 3\ntest-port-tx = 17\ntest-port-rx = 16\n", "test-port-uart is 1 or 2");
        AssertRefused(keypad + "test-port-uart = 2\ntest-port-tx = 17\n", "two different GPIOs");
        AssertRefused(keypad + "test-port-uart = 2\ntest-port-tx = 35\ntest-port-rx = 16\n", "input only");
        AssertRefused(keypad + "test-port-uart = 2\ntest-port-tx = 21\ntest-port-rx = 16\n", "already used");
        AssertRefused(keypad + "test-port-uart = 2\ntest-port-tx = 17\ntest-port-rx = 32\n", "already used");
        AssertRefused(keypad + "test-port-uart = 2\ntest-port-tx = 17\ntest-port-rx = 16\ntest-port-baud = 300\n", "1200 to 921600");
    }

    [TestMethod]
    public void TheImageFlashIsOptionalAndItsSizeIsChecked()
    {
        const string keypad = "keypad-rows = 25\nkeypad-columns = 32\nkeypad-map = 1\n";
        Assert.AreEqual(0, BoardProfile.Parse(keypad).ImageFlashBytes);
        BoardProfile profile = BoardProfile.Parse(keypad + "image-flash-bytes = 0x40000\nimage-file = I:\\img\n");
        Assert.AreEqual(256 * 1024, profile.ImageFlashBytes);
        Assert.AreEqual("I:\\img", profile.ImageFile);
        AssertRefused(keypad + "image-flash-bytes = 100000\n", "multiple of 8192");
        AssertRefused(keypad + "image-flash-bytes = 0x1000000\n", "up to 8388608");
        AssertRefused(keypad + "image-flash-bytes = 8192\nimage-file = I:\\pin.rec\n", "not pin-file's");
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
