using nanoFramework.Hardware.Esp32;

namespace Hal.Esp32;

/// <summary>
/// Milliseconds since boot from the ESP32's 64-bit microsecond timer (esp_timer): monotonic,
/// unaffected by SNTP or by setting the wall clock, unlike DateTime.UtcNow.
/// </summary>
public sealed class Esp32Clock : IClock
{
    public long NowMilliseconds => (long)(HighResTimer.GetCurrent() / 1000);
}
