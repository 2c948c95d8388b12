namespace Hal;

public enum StreamState
{
    Connecting,
    Connected,
    Closed,
    Failed,
}
