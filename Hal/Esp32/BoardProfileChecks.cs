using System;

namespace Hal.Esp32;

/// <summary>
/// Everything about a parsed board profile that nanoFramework's libraries would refuse at boot,
/// refused here first with the profile line at fault: Wireless80211Configuration's SSID (at most
/// 32 characters) and password (at most 64) limits, GpioController.OpenPin on a pin already open
/// or missing, SetPinMode with a mode the pin lacks (outputs and pull-ups on input-only GPIO34-39),
/// the UART and I2C pins, and the keypad's confirm and backspace positions.
/// </summary>
public static class BoardProfileChecks
{
    private const int ImageFlashGranule = 8192;
    private const int MaximumImageFlashBytes = 8 * 1024 * 1024;
    private const int MaximumSsidLength = 32;
    private const int MaximumPasswordLength = 64;
    private const int MinimumWpa2PassphraseLength = 8;

    public static void Check(BoardProfile profile)
    {
        CheckKeypad(profile);
        CheckDisplay(profile);
        CheckWifi(profile);
        CheckFlash(profile);
        CheckTestPort(profile);
        CheckPins(profile);
    }

    private static void CheckKeypad(BoardProfile profile)
    {
        if (profile.KeypadRowPins.Length == 0 || profile.KeypadColumnPins.Length == 0)
        {
            throw new ArgumentException("board profile: keypad-rows and keypad-columns are required");
        }

        int keys = profile.KeypadRowPins.Length * profile.KeypadColumnPins.Length;
        if (keys > 32)
        {
            throw new ArgumentException(profile.Where("keypad-columns") + ": at most 32 keys (rows x columns)");
        }

        if (profile.KeypadMap.Length != keys)
        {
            throw new ArgumentException(profile.Where("keypad-map") + " needs one character per key (rows x columns = " + keys.ToString() + ")");
        }

        CheckEntryKey(profile, "keypad-confirm", profile.KeypadConfirmPosition, profile.KeypadConfirmIndex);
        CheckEntryKey(profile, "keypad-backspace", profile.KeypadBackspacePosition, profile.KeypadBackspaceIndex);
        if (profile.KeypadConfirmIndex == profile.KeypadBackspaceIndex)
        {
            throw new ArgumentException(profile.Where("keypad-backspace") + " is the same key as keypad-confirm");
        }

        if (profile.DebounceScans < 1)
        {
            throw new ArgumentException(profile.Where("debounce-scans") + " is at least 1");
        }
    }

    // The confirm and backspace keys need a key of their own: on a dial key, '*' or '#' could no longer be typed into a code.
    private static void CheckEntryKey(BoardProfile profile, string key, int[] position, int index)
    {
        if (position[0] > profile.KeypadRowPins.Length || position[1] > profile.KeypadColumnPins.Length)
        {
            throw new ArgumentException(profile.Where(key) + ": " + position[0].ToString() + ", " + position[1].ToString() + " is outside the "
                + profile.KeypadRowPins.Length.ToString() + "x" + profile.KeypadColumnPins.Length.ToString() + " matrix (\"row, column\" from 1)");
        }

        char mapped = profile.KeypadMap[index];
        if (Keys.IsDialKey(mapped))
        {
            throw new ArgumentException(profile.Where(key) + " is the '" + mapped.ToString() + "' key of keypad-map, which codes need: name a spare key (A-D on a 4x4 pad)");
        }
    }

    private static void CheckDisplay(BoardProfile profile)
    {
        if (profile.I2cBus != 1 && profile.I2cBus != 2)
        {
            throw new ArgumentException(profile.Where("i2c-bus") + " is 1 or 2");
        }

        if (profile.DisplayAddress < 0x08 || profile.DisplayAddress > 0x77)
        {
            throw new ArgumentException(profile.Where("display-address") + " is a 7-bit I2C address, 0x08 to 0x77 (SSD1306: 0x3C or 0x3D)");
        }

        if (profile.DisplayWidth < 6 || profile.DisplayWidth > 128)
        {
            throw new ArgumentException(profile.Where("display-width") + " is 6 to 128 pixels (the SSD1306 has 128 columns)");
        }

        if (profile.DisplayHeight != 32 && profile.DisplayHeight != 64)
        {
            throw new ArgumentException(profile.Where("display-height") + " is 32 or 64");
        }

        if (profile.LoopMaxSleepMilliseconds < 1)
        {
            throw new ArgumentException(profile.Where("loop-max-sleep-ms") + " is at least 1");
        }
    }

    private static void CheckWifi(BoardProfile profile)
    {
        if (profile.Network != "wifi")
        {
            if (profile.WifiSsid.Length > 0 || profile.WifiPassword.Length > 0)
            {
                throw new ArgumentException(profile.Where(profile.WifiSsid.Length > 0 ? "wifi-ssid" : "wifi-password") + " is for network = wifi; this profile is " + profile.Network);
            }

            return;
        }

        if (profile.WifiSsid.Length == 0)
        {
            if (profile.WifiPassword.Length > 0)
            {
                throw new ArgumentException(profile.Where("wifi-password") + " without wifi-ssid");
            }

            return;
        }

        if (profile.WifiSsid.Length > MaximumSsidLength)
        {
            throw new ArgumentException(profile.Where("wifi-ssid") + " is " + profile.WifiSsid.Length.ToString() + " characters; an SSID has at most 32");
        }

        if (profile.WifiPassword.Length > MaximumPasswordLength)
        {
            throw new ArgumentException(profile.Where("wifi-password") + " is " + profile.WifiPassword.Length.ToString() + " characters; at most 64 (a 64-character password is the hex key)");
        }

        if (profile.WifiPassword.Length > 0 && profile.WifiPassword.Length < MinimumWpa2PassphraseLength)
        {
            throw new ArgumentException(profile.Where("wifi-password") + " is " + profile.WifiPassword.Length.ToString() + " characters; a WPA2 passphrase has at least 8 (leave it empty for an open network)");
        }
    }

    private static void CheckFlash(BoardProfile profile)
    {
        // Whole 4 KiB flash sectors per half; 8 MiB is already more than an ESP32 file system holds.
        int bytes = profile.ImageFlashBytes;
        if (bytes < 0 || bytes % ImageFlashGranule != 0 || bytes > MaximumImageFlashBytes)
        {
            throw new ArgumentException(profile.Where("image-flash-bytes") + " is 0 (no image flash) or a multiple of 8192 (two halves of whole 4 KiB sectors) up to 8388608");
        }

        if (bytes > 0 && profile.ImageFile == profile.PinFile)
        {
            throw new ArgumentException(profile.Where("image-file") + " needs its own file, not pin-file's");
        }
    }

    private static void CheckTestPort(BoardProfile profile)
    {
        if (profile.TestPortUart == 0)
        {
            if (profile.TestPortTxPin >= 0 || profile.TestPortRxPin >= 0)
            {
                throw new ArgumentException(profile.Where(profile.TestPortTxPin >= 0 ? "test-port-tx" : "test-port-rx") + ": test-port-tx/-rx need test-port-uart (1 or 2)");
            }

            return;
        }

        if (profile.TestPortUart != 1 && profile.TestPortUart != 2)
        {
            throw new ArgumentException(profile.Where("test-port-uart") + ": test-port-uart is 1 or 2 (UART0 carries the debugger), or 0 for no test port");
        }

        if (profile.TestPortTxPin < 0 || profile.TestPortRxPin < 0 || profile.TestPortTxPin == profile.TestPortRxPin)
        {
            throw new ArgumentException(profile.Where(profile.TestPortTxPin < 0 ? "test-port-tx" : "test-port-rx") + ": test-port-tx and test-port-rx are two different GPIOs");
        }

        if (profile.TestPortBaudRate < 1200 || profile.TestPortBaudRate > 921600)
        {
            throw new ArgumentException(profile.Where("test-port-baud") + " is 1200 to 921600");
        }
    }

    // Every pin the drivers open: each must exist and be free, each only once, and able to do
    // what its driver asks of it (SetPinMode refuses an output or a pull-up on GPIO34-39).
    private static void CheckPins(BoardProfile profile)
    {
        int[] pins = new int[40];
        string[] owners = new string[40];
        int count = 0;
        bool internalPullUps = profile.KeypadPullUp == "internal";
        for (int i = 0; i < profile.KeypadRowPins.Length; i++)
        {
            count = Claim(profile, "keypad-rows", profile.KeypadRowPins[i], true, pins, owners, count);
        }

        for (int i = 0; i < profile.KeypadColumnPins.Length; i++)
        {
            int pin = profile.KeypadColumnPins[i];
            count = Claim(profile, "keypad-columns", pin, false, pins, owners, count);
            if (internalPullUps && Esp32Pins.IsInputOnly(pin))
            {
                throw new ArgumentException(profile.Where("keypad-columns") + ": GPIO" + pin.ToString() + " has no internal pull-up (GPIO34-39): set keypad-pull-up = external and fit resistors");
            }
        }

        // I2C drives its lines open-drain: both need an output.
        count = Claim(profile, "i2c-sda", profile.I2cDataPin, true, pins, owners, count);
        count = Claim(profile, "i2c-scl", profile.I2cClockPin, true, pins, owners, count);
        if (profile.TestPortUart != 0)
        {
            count = Claim(profile, "test-port-tx", profile.TestPortTxPin, true, pins, owners, count);
            Claim(profile, "test-port-rx", profile.TestPortRxPin, false, pins, owners, count);
        }
    }

    private static int Claim(BoardProfile profile, string key, int pin, bool output, int[] pins, string[] owners, int count)
    {
        string? unusable = Esp32Pins.Unusable(pin);
        if (unusable != null)
        {
            throw new ArgumentException(profile.Where(key) + ": " + unusable);
        }

        if (output && Esp32Pins.IsInputOnly(pin))
        {
            throw new ArgumentException(profile.Where(key) + ": GPIO" + pin.ToString() + " is input only (GPIO34-39) and " + key + " needs an output");
        }

        for (int i = 0; i < count; i++)
        {
            if (pins[i] == pin)
            {
                string where = owners[i] == key ? " twice" : " already used by " + owners[i];
                throw new ArgumentException(profile.Where(key) + ": GPIO" + pin.ToString() + where);
            }
        }

        if (count == pins.Length)
        {
            throw new ArgumentException(profile.Where(key) + ": more pins than the ESP32 has");
        }

        pins[count] = pin;
        owners[count] = key;
        return count + 1;
    }
}
