namespace Hal;

/// <summary>
/// The one text notation for typed keys that every surface shares (`phone --keys`, the serial
/// test port's KEY/KEYS, the HIL runner's <c>type</c>): the dial keys as themselves, and the two
/// entry keys as tokens no dial key can be — <c>{ok}</c> for <see cref="Keys.Confirm"/>, <c>{bs}</c>
/// for <see cref="Keys.Backspace"/>. "***1000{ok}" is the registration code, DN 1000, confirmed.
/// </summary>
public static class KeyText
{
    public const string ConfirmToken = "{ok}";
    public const string BackspaceToken = "{bs}";

    /// <summary>What a surface names in its error message: the keys it accepts.</summary>
    public const string Accepted = "0-9 * # {ok} {bs}";

    /// <summary>
    /// The keys <paramref name="text"/> names, one char each (Confirm '\n', Backspace '\b'); null when
    /// it is empty, longer than <paramref name="maxKeys"/> keys or holds anything else, with the reason in <paramref name="error"/>.
    /// </summary>
    public static string? Parse(string text, int maxKeys, out string error)
    {
        error = string.Empty;
        if (text == null || text.Length == 0)
        {
            error = "no keys";
            return null;
        }

        char[] keys = new char[text.Length];
        int count = 0;
        int i = 0;
        while (i < text.Length)
        {
            char key;
            if (Keys.IsDialKey(text[i]))
            {
                key = text[i];
                i++;
            }
            else if (At(text, i, ConfirmToken))
            {
                key = Keys.Confirm;
                i += ConfirmToken.Length;
            }
            else if (At(text, i, BackspaceToken))
            {
                key = Keys.Backspace;
                i += BackspaceToken.Length;
            }
            else
            {
                error = "keys are " + Accepted + "; '" + Printable(text[i]) + "' at position " + (i + 1).ToString() + " is not one";
                return null;
            }

            if (count == maxKeys)
            {
                error = "more than " + maxKeys.ToString() + " keys";
                return null;
            }

            keys[count++] = key;
        }

        return new string(keys, 0, count);
    }

    /// <summary>The notation for <paramref name="keys"/> (as <see cref="Parse"/> returns them).</summary>
    public static string Format(string keys)
    {
        string text = string.Empty;
        for (int i = 0; i < keys.Length; i++)
        {
            char key = keys[i];
            text += key == Keys.Confirm ? ConfirmToken : (key == Keys.Backspace ? BackspaceToken : key.ToString());
        }

        return text;
    }

    private static bool At(string text, int position, string token)
    {
        if (position + token.Length > text.Length)
        {
            return false;
        }

        for (int i = 0; i < token.Length; i++)
        {
            if (text[position + i] != token[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(char c)
    {
        return c >= ' ' && c <= '~' ? c.ToString() : "\\x" + ((int)c).ToString("X2");
    }
}
