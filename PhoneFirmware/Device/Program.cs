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

        Configuration.SetPinFunction(profile.I2cDataPin, DataFunction(profile.I2cBus));
        Configuration.SetPinFunction(profile.I2cClockPin, ClockFunction(profile.I2cBus));
        I2cDevice displayBus = new I2cDevice(new I2cConnectionSettings(profile.I2cBus, profile.DisplayAddress, I2cBusSpeed.FastMode));
        Ssd1306Display display = new Ssd1306Display(displayBus, profile.DisplayWidth, profile.DisplayHeight);

        GpioController gpio = new GpioController();
        MatrixKeypad matrix = new MatrixKeypad(gpio, profile.KeypadRowPins, profile.KeypadColumnPins, profile.KeypadScanMap, profile.KeypadPullUp == "internal", profile.DebounceScans);
        TestPortKeypad keypad = new TestPortKeypad(matrix);

        Esp32NetworkInterface network = new Esp32NetworkInterface(profile);
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
        PhoneCore core = new PhoneCore(devices, settings);
        if (testPort != null)
        {
            testPort.Core = core;
        }

        core.PowerUp(clock.NowMilliseconds);
        while (true)
        {
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

    private static DeviceFunction DataFunction(int bus)
    {
        return bus == 2 ? DeviceFunction.I2C2_DATA : DeviceFunction.I2C1_DATA;
    }

    private static DeviceFunction ClockFunction(int bus)
    {
        return bus == 2 ? DeviceFunction.I2C2_CLOCK : DeviceFunction.I2C1_CLOCK;
    }
}
