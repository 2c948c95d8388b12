namespace PhoneFirmware.Core.TestPort;

/// <summary>One parsed host-to-phone line. Made by <see cref="TestPortCodec.ParseCommand"/> or the factories.</summary>
public sealed class TestPortCommand
{
    private TestPortCommand(TestPortCommandKind kind, string keys, bool holdStar)
    {
        Kind = kind;
        Keys = keys;
        HoldStar = holdStar;
    }

    public TestPortCommandKind Kind { get; }

    /// <summary>The keys of KEY and KEYS (one or more of 0-9 * #, <see cref="Hal.Keys.Confirm"/>, <see cref="Hal.Keys.Backspace"/>); empty otherwise.</summary>
    public string Keys { get; }

    /// <summary>For RESTART: hold '*' through the power-up (clears the stored PIN).</summary>
    public bool HoldStar { get; }

    public static TestPortCommand Ping()
    {
        return new TestPortCommand(TestPortCommandKind.Ping, string.Empty, false);
    }

    public static TestPortCommand Key(char key)
    {
        return new TestPortCommand(TestPortCommandKind.Key, key.ToString(), false);
    }

    public static TestPortCommand KeySequence(string keys)
    {
        return new TestPortCommand(TestPortCommandKind.Keys, keys, false);
    }

    public static TestPortCommand Restart(bool holdStar)
    {
        return new TestPortCommand(TestPortCommandKind.Restart, string.Empty, holdStar);
    }

    public static TestPortCommand DisplayQuery()
    {
        return new TestPortCommand(TestPortCommandKind.DisplayQuery, string.Empty, false);
    }
}
