namespace Hal;

/// <summary>
/// A small persistent region (the PIN record). Drivers make each <see cref="Write"/> durable
/// before returning; a power cut may leave a write partly done, which the record format survives.
/// </summary>
public interface IFlashRegion
{
    int Size { get; }

    void Read(int offset, byte[] buffer, int index, int count);

    void Write(int offset, byte[] data, int index, int count);
}
