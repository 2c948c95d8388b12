namespace PhoneFirmware.Core.TestPort;

/// <summary>One parsed phone-to-host line (the host side's view; the phone formats with <see cref="TestPortCodec"/>).</summary>
public sealed class TestPortReply
{
    public TestPortReply(TestPortReplyKind kind, string text, string[] lines)
    {
        Kind = kind;
        Text = text;
        Lines = lines;
    }

    public TestPortReplyKind Kind { get; }

    /// <summary>The reason of ERR, the JSON object of EVENT; empty otherwise.</summary>
    public string Text { get; }

    /// <summary>The screen lines of DISPLAY, top first; empty otherwise.</summary>
    public string[] Lines { get; }
}
