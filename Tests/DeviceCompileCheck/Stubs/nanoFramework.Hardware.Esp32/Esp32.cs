// Reference-only stub. Transcribed from nanoframework/nanoFramework.Hardware.Esp32@579dbaf231d7:
// nanoFramework.Hardware.Esp32/Configuration.cs, DeviceTypePins.cs, HighResTimer.cs (signatures
// only; DeviceFunction lists the members the device code uses, values computed as upstream).
namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) => throw null;

        public static int GetFunctionPin(DeviceFunction function) => throw null;
    }

    public enum DeviceFunction
    {
        I2C1_DATA = 0x00020000 + 0x00000100 + 0,
        I2C1_CLOCK = 0x00020000 + 0x00000100 + 1,
        I2C2_DATA = 0x00020000 + 0x00000200 + 0,
        I2C2_CLOCK = 0x00020000 + 0x00000200 + 1,
        COM2_TX = 0x00030000 + 0x00000200 + 0,
        COM2_RX = 0x00030000 + 0x00000200 + 1,
        COM3_TX = 0x00030000 + 0x00000300 + 0,
        COM3_RX = 0x00030000 + 0x00000300 + 1,
    }

    public class HighResTimer : System.IDisposable
    {
        public static ulong GetCurrent() => throw null;

        public void Dispose() => throw null;
    }
}
