namespace Hal;

/// <summary>A monotonic millisecond clock. Only entry points read it; the core is handed the value.</summary>
public interface IClock
{
    long NowMilliseconds { get; }
}
