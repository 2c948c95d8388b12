// Host stand-ins for the System.Device.I2c members Ssd1306Display uses (same names and shapes as
// nanoFramework's, Tests/DeviceCompileCheck/Stubs/System.Device.I2c): Write returns a status,
// as the real one does when no device acknowledges, or throws when told to.
namespace System.Device.I2c;

public enum I2cTransferStatus
{
    UnknownError,
    FullTransfer,
    ClockStretchTimeout,
    PartialTransfer,
    SlaveAddressNotAcknowledged,
}

public readonly struct I2cTransferResult
{
    public I2cTransferResult(I2cTransferStatus status)
    {
        Status = status;
    }

    public I2cTransferStatus Status { get; }
}

public sealed class I2cDevice
{
    /// <summary>What every write answers; FullTransfer = a display is there.</summary>
    public I2cTransferStatus Answer { get; set; } = I2cTransferStatus.FullTransfer;

    /// <summary>When set, writes throw it (a bus error) instead of returning a status.</summary>
    public Exception? Throws { get; set; }

    /// <summary>Writes attempted, answered or not.</summary>
    public int Writes { get; private set; }

    public I2cTransferResult Write(byte[] buffer)
    {
        Writes++;
        if (Throws != null)
        {
            throw Throws;
        }

        return new I2cTransferResult(Answer);
    }
}
