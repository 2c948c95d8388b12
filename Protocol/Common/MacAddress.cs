namespace Protocol.Common;

/// <summary>MAC addresses as every part of the project writes them: lower-case hex pairs joined by colons.</summary>
public static class MacAddress
{
    public static string Format(byte[] mac)
    {
        string text = string.Empty;
        for (int i = 0; i < mac.Length; i++)
        {
            text += (i == 0 ? string.Empty : ":") + Ascii.ToHex(mac, i, 1);
        }

        return text;
    }
}
