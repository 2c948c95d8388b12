namespace Hal.Esp32;

/// <summary>
/// What each GPIO of an ESP32 (WROOM/WROVER module) can do, as the ESP32 datasheet lists it and
/// as nanoFramework's GpioController enforces it (OpenPin refuses a pin that does not exist,
/// SetPinMode a mode the pin lacks). Pure facts, so the board profile can refuse a pin before a
/// driver meets the exception.
/// </summary>
public static class Esp32Pins
{
    /// <summary>GPIO0-39 minus the numbers the chip does not have (20, 24, 28-31).</summary>
    public static bool Exists(int pin)
    {
        return pin >= 0 && pin <= 39 && pin != 20 && pin != 24 && (pin < 28 || pin > 31);
    }

    /// <summary>GPIO6-11 drive the module's SPI flash: touching them stops the chip.</summary>
    public static bool IsFlashPin(int pin)
    {
        return pin >= 6 && pin <= 11;
    }

    /// <summary>GPIO1 and GPIO3 are UART0, nanoFramework's debug and deployment link.</summary>
    public static bool IsDebugUartPin(int pin)
    {
        return pin == 1 || pin == 3;
    }

    /// <summary>GPIO34-39 are input only and have no internal pull-up or pull-down.</summary>
    public static bool IsInputOnly(int pin)
    {
        return pin >= 34 && pin <= 39;
    }

    /// <summary>Why the pin cannot be used at all by the phone, or null when it can.</summary>
    public static string? Unusable(int pin)
    {
        if (!Exists(pin))
        {
            return "GPIO" + pin.ToString() + " does not exist on the ESP32 (GPIO0-19, 21-23, 25-27, 32-39)";
        }

        if (IsFlashPin(pin))
        {
            return "GPIO" + pin.ToString() + " belongs to the module's flash (GPIO6-11)";
        }

        if (IsDebugUartPin(pin))
        {
            return "GPIO" + pin.ToString() + " is UART0, the debug and deployment link";
        }

        return null;
    }
}
