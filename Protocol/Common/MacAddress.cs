namespace Protocol.Common;

/// <summary>MAC addresses as every part of the project writes them: lower-case hex pairs joined by colons.</summary>
public static class MacAddress
{
    // One char array and one string: the controller formats the MAC of every Register it handles.
    public static string Format(byte[] mac)
    {
        const string digits = "0123456789abcdef";
        if (mac.Length == 0)
        {
            return string.Empty;
        }

        char[] chars = new char[(mac.Length * 3) - 1];
        for (int i = 0; i < mac.Length; i++)
        {
            if (i > 0)
            {
                chars[(3 * i) - 1] = ':';
            }

            chars[3 * i] = digits[mac[i] >> 4];
            chars[(3 * i) + 1] = digits[mac[i] & 0x0F];
        }

        return new string(chars);
    }
}
