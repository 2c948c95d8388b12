using System;
using System.IO;
using Hal.Esp32;
using Tests.Support;

namespace Tests.Esp32;

/// <summary>The board profile format (hardware/README.md) and the shipped profiles parse as documented.</summary>
[TestClass]
public class BoardProfileTests
{
    private const string Keypad = "keypad-rows = 25, 26, 27, 14\nkeypad-columns = 32, 33, 18, 19\n";

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
        Assert.AreEqual("123A456B789\b*0#\n", profile.KeypadScanMap, "D confirms, C erases");
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
        Assert.AreEqual("123A456B789\b*0#\n", profile.KeypadScanMap, "D confirms, C erases");
    }

    [TestMethod]
    public void TheTestPortIsOptionalAndItsPinsAreChecked()
    {
        const string keypad = Keypad;
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
        const string keypad = Keypad;
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
        BoardProfile profile = BoardProfile.Parse("# c\r\nkeypad-rows = 25, 26, 27, 14\r\nkeypad-columns=32, 33, 18, 19 # trailing\r\nkeypad-map = 123A456B789C*0#D\r\ndisplay-address = 0x3d\r\n");
        Assert.AreEqual(0x3D, profile.DisplayAddress);
        CollectionAssert.AreEqual(new[] { 32, 33, 18, 19 }, profile.KeypadColumnPins);
    }

    [TestMethod]
    public void MistakesAreRefusedWithTheLine()
    {
        AssertRefused(Keypad + "keypad-colums = 3\n", "line 3");
        AssertRefused("keypad-rows = 1,x\n", "keypad-rows is not a number");
        AssertRefused(Keypad + "keypad-map = 123\n", "line 3: keypad-map needs one character per key");
        AssertRefused("network = ethernet-ish\n", "network is ethernet or wifi");
        AssertRefused(Keypad + "i2c-bus = 3\n", "line 3: i2c-bus is 1 or 2");
        AssertRefused(Keypad + "pin-file =\n", "line 3: pin-file needs a value");
        AssertRefused(Keypad + "i2c-sda = 4\ni2c-sda = 5\n", "line 4: i2c-sda is set twice (first on line 3)");
        AssertRefused("keypad-columns = 32\n", "keypad-rows and keypad-columns are required");
    }

    [TestMethod]
    public void TheConfirmAndBackspaceKeysDefaultToDAndCOfA4x4Pad()
    {
        BoardProfile profile = BoardProfile.Parse(Keypad);
        Assert.AreEqual(15, profile.KeypadConfirmIndex);
        Assert.AreEqual(11, profile.KeypadBackspaceIndex);
        Assert.AreEqual("123A456B789\b*0#\n", profile.KeypadScanMap);
    }

    [TestMethod]
    public void TheProfileNamesTheConfirmAndBackspacePositions()
    {
        BoardProfile profile = BoardProfile.Parse(Keypad + "keypad-confirm = 1, 4\nkeypad-backspace = 2,4\n");
        Assert.AreEqual("123\n456\b789C*0#D", profile.KeypadScanMap);
        AssertRefused(Keypad + "keypad-confirm = 4, 3\n", "line 3: keypad-confirm is the '#' key of keypad-map, which codes need");
        AssertRefused(Keypad + "keypad-backspace = 5, 1\n", "line 3: keypad-backspace: 5, 1 is outside the 4x4 matrix");
        AssertRefused(Keypad + "keypad-backspace = 4, 4\n", "line 3: keypad-backspace is the same key as keypad-confirm");
        AssertRefused(Keypad + "keypad-confirm = 4\n", "keypad-confirm is \"row, column\"");
        AssertRefused("keypad-rows = 25, 26, 27, 14\nkeypad-columns = 32, 33, 18\nkeypad-map = 123456789*0#\n", "keypad-confirm (default): 4, 4 is outside the 4x3 matrix");
    }

    [TestMethod]
    public void WifiCredentialsTheLibraryWouldRefuseAreRefused()
    {
        const string wifi = Keypad + "network = wifi\n";
        Assert.AreEqual(32, BoardProfile.Parse(wifi + "wifi-ssid = " + new string('s', 32) + "\nwifi-password = " + new string('p', 64) + "\n").WifiSsid.Length);
        Assert.AreEqual(string.Empty, BoardProfile.Parse(wifi + "wifi-ssid = open-lab\n").WifiPassword, "an open network");
        AssertRefused(wifi + "wifi-ssid = " + new string('s', 33) + "\n", "line 4: wifi-ssid is 33 characters; an SSID has at most 32");
        AssertRefused(wifi + "wifi-ssid = lab\nwifi-password = " + new string('p', 65) + "\n", "line 5: wifi-password is 65 characters; at most 64");
        AssertRefused(wifi + "wifi-ssid = lab\nwifi-password = short\n", "line 5: wifi-password is 5 characters; a WPA2 passphrase has at least 8");
        AssertRefused(wifi + "wifi-password = secret-pass\n", "line 4: wifi-password without wifi-ssid");
        AssertRefused(Keypad + "wifi-ssid = lab\n", "line 3: wifi-ssid is for network = wifi");
    }

    [TestMethod]
    public void PinsThatDoNotExistOrBelongToTheFlashOrTheDebugLinkAreRefused()
    {
        AssertRefused(Keypad + "i2c-sda = 20\n", "line 3: i2c-sda: GPIO20 does not exist");
        AssertRefused(Keypad + "i2c-scl = 40\n", "line 3: i2c-scl: GPIO40 does not exist");
        AssertRefused("keypad-rows = 25, 26, 27, 9\nkeypad-columns = 32, 33, 18, 19\n", "line 1: keypad-rows: GPIO9 belongs to the module's flash");
        AssertRefused(Keypad + "i2c-sda = 1\n", "line 3: i2c-sda: GPIO1 is UART0");
    }

    [TestMethod]
    public void DuplicatePinsAreRefused()
    {
        AssertRefused("keypad-rows = 25, 26, 27, 25\nkeypad-columns = 32, 33, 18, 19\n", "line 1: keypad-rows: GPIO25 twice");
        AssertRefused("keypad-rows = 25, 26, 27, 14\nkeypad-columns = 32, 33, 18, 14\n", "line 2: keypad-columns: GPIO14 already used by keypad-rows");
        AssertRefused(Keypad + "i2c-scl = 21\n", "board profile line 3: i2c-scl: GPIO21 already used by i2c-sda");
        AssertRefused(Keypad + "i2c-sda = 32\n", "line 3: i2c-sda: GPIO32 already used by keypad-columns");
    }

    [TestMethod]
    public void PinsThatCannotDoWhatTheirDriverAsksAreRefused()
    {
        AssertRefused("keypad-rows = 25, 26, 27, 35\nkeypad-columns = 32, 33, 18, 19\n", "line 1: keypad-rows: GPIO35 is input only (GPIO34-39) and keypad-rows needs an output");
        AssertRefused("keypad-rows = 25, 26, 27, 14\nkeypad-columns = 32, 33, 18, 39\n", "line 2: keypad-columns: GPIO39 has no internal pull-up");
        Assert.AreEqual("external", BoardProfile.Parse("keypad-rows = 25, 26, 27, 14\nkeypad-columns = 32, 33, 18, 39\nkeypad-pull-up = external\n").KeypadPullUp);
        AssertRefused(Keypad + "i2c-scl = 36\n", "line 3: i2c-scl: GPIO36 is input only");
        AssertRefused(Keypad + "test-port-uart = 2\ntest-port-tx = 34\ntest-port-rx = 16\n", "line 4: test-port-tx: GPIO34 is input only");
    }

    [TestMethod]
    public void DisplayValuesTheDriverCannotUseAreRefused()
    {
        AssertRefused(Keypad + "display-address = 0x80\n", "line 3: display-address is a 7-bit I2C address");
        AssertRefused(Keypad + "display-width = 256\n", "line 3: display-width is 6 to 128");
        AssertRefused(Keypad + "display-height = 48\n", "line 3: display-height is 32 or 64");
        AssertRefused(Keypad + "debounce-scans = 0\n", "line 3: debounce-scans is at least 1");
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
