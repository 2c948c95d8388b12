using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.Threading;
using Hal.Esp32;
using nanoFramework.Hardware.Esp32;
using PhoneFirmware.Core;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using PhoneFirmware.Core.TestPort;
using Protocol.Common;

namespace PhoneFirmware.Device;

/// <summary>
/// The board's entry point: reads the board profile, wires the Hal/Esp32 drivers to the same
/// <see cref="PhoneCore"/> the host emulator runs, powers it up and steps it for ever, sleeping
/// until the core's next deadline but never longer than the profile's loop-max-sleep-ms, so keys
/// are scanned and sockets polled often enough. With a test port in the profile, the same loop
/// serves it (docs/test-port.md) and carries out its RESTART by power-cycling the core.
/// </summary>
public static class Program
{
    public static void Main()
    {
        BoardProfile profile;
        try
        {
            profile = BoardProfileFile.Read(BoardProfileFile.DefaultPath);
        }
        catch (Exception error)
        {
            // Without a profile no pin is known, not even the display's: say so on the debug link and stop.
            Console.WriteLine("phone: " + error.Message);
            Thread.Sleep(Timeout.Infinite);
            return;
        }

        Esp32Clock clock = new Esp32Clock();
        DriverFaults faults = new DriverFaults();

        Configuration.SetPinFunction(profile.I2cDataPin, DataFunction(profile.I2cBus));
        Configuration.SetPinFunction(profile.I2cClockPin, ClockFunction(profile.I2cBus));
        I2cDevice displayBus = new I2cDevice(new I2cConnectionSettings(profile.I2cBus, profile.DisplayAddress, I2cBusSpeed.FastMode));
        string displayPlace = "I2C" + profile.I2cBus.ToString() + " 0x" + Hex(profile.DisplayAddress) + " (SDA " + profile.I2cDataPin.ToString() + ", SCL " + profile.I2cClockPin.ToString() + ")";
        Ssd1306Display display = new Ssd1306Display(displayBus, profile.DisplayWidth, profile.DisplayHeight, faults, displayPlace);

        GpioController gpio = new GpioController();
        MatrixKeypad matrix = new MatrixKeypad(gpio, profile.KeypadRowPins, profile.KeypadColumnPins, profile.KeypadScanMap, profile.KeypadPullUp == "internal", profile.DebounceScans, faults);
        TestPortKeypad keypad = new TestPortKeypad(matrix);

        if (profile.Network == "wifi")
        {
            // The join blocks (WifiJoin.TimeoutMilliseconds at most) before the core draws anything: say what it waits for.
            display.ShowLine(0, "Joining Wi-Fi");
            display.ShowLine(1, profile.WifiSsid.Length > 0 ? profile.WifiSsid : "(stored network)");
        }

        Esp32NetworkInterface network;
        try
        {
            network = new Esp32NetworkInterface(profile, faults);
        }
        catch (Exception error)
        {
            // No interface of the profile's type in this firmware image: nothing can work without one.
            Console.WriteLine("phone: " + error.Message);
            display.ShowLine(0, "No network interface");
            display.ShowLine(1, "check the firmware");
            Thread.Sleep(Timeout.Infinite);
            return;
        }

        FileFlashRegion flash = new FileFlashRegion(profile.PinFile, PhoneFlashLayout.Size);
        FileImageFlash? imageFlash = null;
        if (profile.ImageFlashBytes > 0)
        {
            try
            {
                imageFlash = new FileImageFlash(profile.ImageFile, profile.ImageFlashBytes);
            }
            catch (Exception error)
            {
                // A wrong size would put new images where the installed image's record does not look: stop, as for the profile.
                Console.WriteLine("phone: " + error.Message);
                Thread.Sleep(Timeout.Infinite);
                return;
            }
        }

        DeviceRandomSource random = new DeviceRandomSource(network.MacAddress, clock.NowMilliseconds * 1000);

        DeviceTestPort? testPort = null;
        IPhoneEventSink events = new ConsoleEventSink();
        if (profile.TestPortUart != 0)
        {
            Configuration.SetPinFunction(profile.TestPortTxPin, profile.TestPortUart == 1 ? DeviceFunction.COM2_TX : DeviceFunction.COM3_TX);
            Configuration.SetPinFunction(profile.TestPortRxPin, profile.TestPortUart == 1 ? DeviceFunction.COM2_RX : DeviceFunction.COM3_RX);
            testPort = new DeviceTestPort(new Esp32SerialPort(profile.TestPortName, profile.TestPortBaudRate), keypad);
            events = new EventFanOut(events, testPort.Session);
        }

        PhoneDevices devices = new PhoneDevices(network, flash, display, keypad, random, events, imageFlash);
        PhoneSettings settings = new PhoneSettings();
        if (profile.CallControl == "sip")
        {
            // A SIP set boots from its configuration files (startup.cfg, <model>.cfg, <MAC>.cfg), not a boot image.
            settings.CallControl = CallControl.Sip;
            settings.SipTransportCode = profile.SipTransportCode;
            settings.SipModel = profile.SipModel;
            settings.SipLocalPort = profile.SipPort;
            settings.BootFiles = new string[0];
        }

        PhoneCore core = new PhoneCore(devices, settings);
        if (testPort != null)
        {
            testPort.Core = core;
        }

        // A fault met while starting (keypad pin refused, Wi-Fi not joined) stays on the display
        // long enough to read before the core draws its first screen; each is also an event.
        if (ReportFaults(faults, events, display))
        {
            Thread.Sleep(BootFaultMilliseconds);
        }

        core.PowerUp(clock.NowMilliseconds);
        while (true)
        {
            ReportFaults(faults, events, null);
            matrix.Scan();
            bool holdStar;
            if (testPort != null)
            {
                testPort.Poll();
                if (testPort.TakeRestart(out holdStar))
                {
                    // A power cycle as the phone sees it: a fresh core on the same drivers, '*' held through its power-up if asked.
                    core.Shutdown(clock.NowMilliseconds);
                    core = new PhoneCore(devices, settings);
                    testPort.Core = core;
                    display.Clear();
                    keypad.HoldStar(holdStar);
                    core.PowerUp(clock.NowMilliseconds);
                    keypad.HoldStar(false);
                }
            }

            long deadline = core.Step(clock.NowMilliseconds);
            long wait = deadline == Deadline.None ? profile.LoopMaxSleepMilliseconds : deadline - clock.NowMilliseconds;
            if (wait > profile.LoopMaxSleepMilliseconds)
            {
                wait = profile.LoopMaxSleepMilliseconds;
            }

            if (testPort != null)
            {
                testPort.Flush();
                if (testPort.HasOutput)
                {
                    wait = 0;
                }
            }

            // Sleep(0) still yields, so lwIP and the other native tasks run when the core wants another step at once.
            Thread.Sleep(wait > 0 ? (int)wait : 0);
        }
    }

    private const int BootFaultMilliseconds = 3000;

    // Each fault becomes a device.fault event (on the debug link and the test port); during boot,
    // the first is also shown on the display. Returns whether there was any.
    private static bool ReportFaults(DriverFaults faults, IPhoneEventSink events, Ssd1306Display? display)
    {
        bool any = false;
        string part;
        string reason;
        while (faults.TryTake(out part, out reason))
        {
            events.Publish(new PhoneEvent(EventNames.DeviceFault).With("part", part).With("reason", reason));
            if (display != null && !any)
            {
                display.ShowLine(0, part + " fault");
                display.ShowLine(1, reason);
                if (display.Rows > 2)
                {
                    display.ShowLine(2, reason.Length > display.Columns ? reason.Substring(display.Columns) : string.Empty);
                }
            }

            any = true;
        }

        return any;
    }

    private static string Hex(int value)
    {
        const string digits = "0123456789ABCDEF";
        return digits[(value >> 4) & 0xF].ToString() + digits[value & 0xF].ToString();
    }

    private static DeviceFunction DataFunction(int bus)
    {
        return bus == 2 ? DeviceFunction.I2C2_DATA : DeviceFunction.I2C1_DATA;
    }

    private static DeviceFunction ClockFunction(int bus)
    {
        return bus == 2 ? DeviceFunction.I2C2_CLOCK : DeviceFunction.I2C1_CLOCK;
    }
}
