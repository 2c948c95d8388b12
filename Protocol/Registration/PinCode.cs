namespace Protocol.Registration;

/// <summary>
/// A PIN is an access code followed by a DN (<c>***1000</c>). Splits it against the system's
/// Registration and Replacement Access Codes; the longer code is tried first so that one code
/// being a prefix of the other cannot misroute a PIN.
/// </summary>
public static class PinCode
{
    public const int MaximumDnLength = 7;

    public static bool TrySplit(string pin, string registrationCode, string replacementCode, out string dn, out bool isReplacement)
    {
        dn = string.Empty;
        isReplacement = false;
        string first = replacementCode.Length > registrationCode.Length ? replacementCode : registrationCode;
        string second = first == replacementCode ? registrationCode : replacementCode;
        if (TryStrip(pin, first, out dn))
        {
            isReplacement = first == replacementCode && replacementCode != registrationCode;
            return true;
        }

        if (TryStrip(pin, second, out dn))
        {
            isReplacement = second == replacementCode && replacementCode != registrationCode;
            return true;
        }

        return false;
    }

    /// <summary>True for 1–7 characters of digits, <c>*</c> or <c>#</c> (the Remote Directory Numbers rule).</summary>
    public static bool IsValidDn(string dn)
    {
        if (dn.Length < 1 || dn.Length > MaximumDnLength)
        {
            return false;
        }

        for (int i = 0; i < dn.Length; i++)
        {
            char c = dn[i];
            if (!((c >= '0' && c <= '9') || c == '*' || c == '#'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryStrip(string pin, string code, out string dn)
    {
        dn = string.Empty;
        if (code.Length == 0 || pin.Length <= code.Length || pin.Substring(0, code.Length) != code)
        {
            return false;
        }

        string rest = pin.Substring(code.Length);
        if (!IsValidDn(rest))
        {
            return false;
        }

        dn = rest;
        return true;
    }
}
