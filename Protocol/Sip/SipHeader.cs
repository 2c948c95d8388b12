namespace Protocol.Sip;

/// <summary>One header line: its (normalized) name and its value with folding undone.</summary>
public sealed class SipHeader
{
    public SipHeader(string name, string value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string Value { get; }
}
