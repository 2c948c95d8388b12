using System;

namespace Controller.Forms;

/// <summary>Field rules of the forms, each failing with a message that names the field and the rule.</summary>
public static class FormValidation
{
    /// <summary>Directory numbers: 1 to 7 characters of 0-9, * and #.</summary>
    public static string DirectoryNumber(string? value, string field = "directory number")
    {
        if (string.IsNullOrEmpty(value) || value.Length > 7 || !IsKeys(value))
        {
            throw new FormException(field + " must be 1 to 7 characters of 0-9, * and #, not '" + value + "'");
        }

        return value;
    }

    /// <summary>Access codes: 1 to 10 characters of 0-9, * and # ("typically 3 characters, maximum ten").</summary>
    public static string AccessCode(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 10 || !IsKeys(value))
        {
            throw new FormException(field + " must be 1 to 10 characters of 0-9, * and #, not '" + value + "'");
        }

        return value;
    }

    public static string Name(string? value)
    {
        value ??= string.Empty;
        if (value.Length > 20)
        {
            throw new FormException("name must be at most 20 characters, not " + value.Length);
        }

        return value;
    }

    public static int ElementIndex(int value, string field)
    {
        if (value < 1 || value > 999)
        {
            throw new FormException(field + " must be from 1 to 999, not " + value);
        }

        return value;
    }

    /// <summary>A MAC address in any common notation, returned as lower-case aa:bb:cc:dd:ee:ff.</summary>
    public static string Mac(string? value)
    {
        string hex = (value ?? string.Empty).Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal);
        if (hex.Length != 12 || !IsHex(hex))
        {
            throw new FormException("MAC address must be six hex pairs like 00:08:5d:12:34:56, not '" + value + "'");
        }

        hex = hex.ToLowerInvariant();
        return string.Join(":", hex[0..2], hex[2..4], hex[4..6], hex[6..8], hex[8..10], hex[10..12]);
    }

    public static string MacText(byte[] mac)
    {
        return Protocol.Common.MacAddress.Format(mac);
    }

    private static bool IsKeys(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiDigit(c) || c == '*' || c == '#'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHex(string value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
