using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Hal;
using Hal.Esp32;

namespace Tests.Esp32;

/// <summary>
/// The ESP32 drivers' error paths (issue 16 item 2): what the real libraries throw or return
/// never escapes a driver; it becomes a state, a headless display or an empty keypad, and a
/// fault the entry point publishes as a device.fault event. Sockets are .NET's, which throw
/// ObjectDisposedException for a closed socket as nanoFramework's System.Net does; GPIO and I2C
/// are the fakes in Esp32/Fakes.
/// </summary>
[TestClass]
public class DriverErrorPathTests
{
    [TestMethod]
    public void ADatagramSocketClosedUnderneathReportsOnceAndNeverThrows()
    {
        DriverFaults faults = new();
        Esp32DatagramSocket socket = new(0, false, faults);
        CloseUnderneath(socket);
        socket.Send(new byte[] { 1 }, 0, 1, 0x7F000001, 9);
        Assert.AreEqual(-1, socket.Receive(new byte[16], out _, out _));
        Assert.IsTrue(faults.TryTake(out string part, out string reason));
        Assert.AreEqual("socket", part);
        StringAssert.Contains(reason, "send on a closed socket");
        Assert.IsFalse(faults.TryTake(out _, out _), "reported once, not on every call");
    }

    [TestMethod]
    public void ADatagramSocketUsedAfterItsOwnCloseIsQuiet()
    {
        DriverFaults faults = new();
        Esp32DatagramSocket socket = new(0, false, faults);
        socket.Close();
        socket.Send(new byte[] { 1 }, 0, 1, 0x7F000001, 9);
        Assert.AreEqual(-1, socket.Receive(new byte[16], out _, out _));
        Assert.IsFalse(faults.TryTake(out _, out _));
    }

    [TestMethod]
    public void AStreamClosedUnderneathReadsAsClosed()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        Esp32StreamConnection connection = new(0x7F000001, ((IPEndPoint)listener.LocalEndpoint).Port);
        using Socket accepted = listener.AcceptSocket();
        Stopwatch waited = Stopwatch.StartNew();
        while (connection.State == StreamState.Connecting && waited.ElapsedMilliseconds < 5000)
        {
            System.Threading.Thread.Sleep(5);
        }

        Assert.AreEqual(StreamState.Connected, connection.State);
        CloseUnderneath(connection);
        Assert.AreEqual(StreamState.Closed, connection.State, "ObjectDisposedException from Poll is a closed stream");
        connection.Send(new byte[] { 1 }, 0, 1);
        Assert.AreEqual(0, connection.Receive(new byte[4], 0, 4));
        connection.Close();
    }

    [TestMethod]
    public void AMissingDisplayRunsHeadlessAndComesBackWhenItAnswers()
    {
        DriverFaults faults = new();
        I2cDevice device = new() { Answer = I2cTransferStatus.SlaveAddressNotAcknowledged };
        Ssd1306Display display = new(device, 128, 64, faults, "I2C1 0x3C");
        Assert.IsTrue(display.Missing);
        Assert.IsTrue(faults.TryTake(out string part, out string reason));
        Assert.AreEqual("display", part);
        StringAssert.Contains(reason, "no SSD1306 answers at I2C1 0x3C; running headless");
        Assert.AreEqual(1, device.Writes, "the first unanswered write stops the rest");

        for (int i = 1; i < Ssd1306Display.RetryEvery; i++)
        {
            display.ShowLine(0, "DHCP");
        }

        Assert.AreEqual(1, device.Writes, "nothing is sent while headless, between retries");
        device.Answer = I2cTransferStatus.FullTransfer;
        display.ShowLine(1, "Discovering");
        Assert.IsFalse(display.Missing);
        Assert.IsTrue(faults.TryTake(out _, out reason));
        StringAssert.Contains(reason, "answers again");
        Assert.IsTrue(device.Writes > 20, "initialised and redrawn");
        Assert.IsFalse(faults.TryTake(out _, out _));
    }

    [TestMethod]
    public void ADisplayWhoseBusThrowsIsMissingNotFatal()
    {
        DriverFaults faults = new();
        I2cDevice device = new() { Throws = new InvalidOperationException("bus error") };
        Ssd1306Display display = new(device, 128, 32, faults, "I2C1 0x3C");
        display.ShowLine(0, "DHCP");
        display.ShowProgress(50);
        display.Clear();
        Assert.IsTrue(display.Missing);
        Assert.IsTrue(faults.TryTake(out string part, out _));
        Assert.AreEqual("display", part);
    }

    [TestMethod]
    public void APinTheGpioDriverRefusesLeavesAnEmptyKeypadAndAFault()
    {
        DriverFaults faults = new();
        GpioController gpio = new();
        gpio.Refused.Add(35);
        MatrixKeypad keypad = new(gpio, new[] { 25, 26, 27, 14 }, new[] { 32, 35, 18, 19 }, "123A456B789\b*0#\n", false, 1, faults);
        Assert.IsFalse(keypad.Available);
        keypad.Scan();
        Assert.AreEqual(Keys.None, keypad.ReadKey());
        Assert.IsFalse(keypad.IsHeld(Keys.Star));
        Assert.IsTrue(faults.TryTake(out string part, out string reason));
        Assert.AreEqual("keypad", part);
        StringAssert.Contains(reason, "GPIO35 refused: pin 35 is already open");
    }

    [TestMethod]
    public void TheStarHeldAtPowerUpIsNotQueuedAndTheProfilesConfirmKeyIsConfirm()
    {
        DriverFaults faults = new();
        GpioController gpio = new();
        gpio.Pressed.Add((14, 32)); // row 4, column 1: '*'
        BoardProfile profile = BoardProfile.Parse("keypad-rows = 25, 26, 27, 14\nkeypad-columns = 32, 33, 18, 19\n");
        MatrixKeypad keypad = new(gpio, profile.KeypadRowPins, profile.KeypadColumnPins, profile.KeypadScanMap, true, 1, faults);
        Assert.IsTrue(keypad.IsHeld(Keys.Star));
        keypad.Scan();
        keypad.Scan();
        Assert.AreEqual(Keys.None, keypad.ReadKey(), "the '*' held through power-up is no key press");

        gpio.Pressed.Clear();
        keypad.Scan();
        gpio.Pressed.Add((14, 19)); // row 4, column 4: 'D', the default confirm key
        keypad.Scan();
        gpio.Pressed.Clear();
        keypad.Scan();
        gpio.Pressed.Add((27, 19)); // row 3, column 4: 'C', the default backspace key
        keypad.Scan();
        gpio.Pressed.Clear();
        keypad.Scan();
        gpio.Pressed.Add((14, 32)); // '*' again, pressed this time
        keypad.Scan();
        Assert.AreEqual(Keys.Confirm, keypad.ReadKey());
        Assert.AreEqual(Keys.Backspace, keypad.ReadKey());
        Assert.AreEqual(Keys.Star, keypad.ReadKey());
        Assert.AreEqual(Keys.None, keypad.ReadKey());
        Assert.IsFalse(faults.TryTake(out _, out _));
    }

    // Closes the driver's socket behind its back, as lwIP does to a dropped connection.
    private static void CloseUnderneath(object driver)
    {
        FieldInfo field = driver.GetType().GetField("_socket", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("no _socket field");
        ((Socket)field.GetValue(driver)!).Close();
    }
}
