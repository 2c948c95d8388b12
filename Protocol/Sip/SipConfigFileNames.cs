namespace Protocol.Sip;

/// <summary>
/// The files a vendor SIP set fetches after DHCP, in the order they override each other:
/// startup.cfg (aastra.cfg before firmware 4.0), &lt;model&gt;.cfg, &lt;MAC&gt;.cfg with the MAC as
/// 12 upper-case hex digits. A missing model or MAC file is normal.
/// </summary>
public static class SipConfigFileNames
{
    public const string Startup = "startup.cfg";
    public const string LegacyStartup = "aastra.cfg";

    public static string[] InOrder(string model, byte[] mac)
    {
        const string digits = "0123456789ABCDEF";
        char[] hex = new char[12];
        for (int i = 0; i < 6; i++)
        {
            hex[2 * i] = digits[mac[i] >> 4];
            hex[(2 * i) + 1] = digits[mac[i] & 0x0F];
        }

        return new string[] { Startup, model + ".cfg", new string(hex) + ".cfg" };
    }
}
