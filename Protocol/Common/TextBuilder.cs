using System;

namespace Protocol.Common;

/// <summary>
/// Appends characters into a growing buffer and makes one string at the end: the device's stand-in
/// for StringBuilder, which nanoFramework's mscorlib does not have.
/// </summary>
public sealed class TextBuilder
{
    private char[] _chars;
    private int _length;

    public TextBuilder(int capacity)
    {
        _chars = new char[capacity < 16 ? 16 : capacity];
    }

    public int Length => _length;

    public TextBuilder Append(char c)
    {
        if (_length == _chars.Length)
        {
            char[] larger = new char[_chars.Length * 2];
            Array.Copy(_chars, larger, _length);
            _chars = larger;
        }

        _chars[_length++] = c;
        return this;
    }

    public TextBuilder Append(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            Append(text[i]);
        }

        return this;
    }

    /// <summary>Appends a signed decimal number, independent of any culture setting.</summary>
    public TextBuilder AppendDecimal(long value)
    {
        if (value == 0)
        {
            return Append('0');
        }

        if (value < 0)
        {
            Append('-');
        }

        // Digits are taken from the negative side so that long.MinValue needs no special case.
        long rest = value < 0 ? value : -value;
        char[] digits = new char[20];
        int count = 0;
        while (rest != 0)
        {
            digits[count++] = (char)('0' - (int)(rest % 10));
            rest /= 10;
        }

        while (count > 0)
        {
            Append(digits[--count]);
        }

        return this;
    }

    /// <summary>Appends four uppercase hex digits (a UTF-16 unit as JSON's \uXXXX writes it).</summary>
    public TextBuilder AppendHex4(int value)
    {
        const string digits = "0123456789ABCDEF";
        Append(digits[(value >> 12) & 0xF]);
        Append(digits[(value >> 8) & 0xF]);
        Append(digits[(value >> 4) & 0xF]);
        return Append(digits[value & 0xF]);
    }

    public override string ToString()
    {
        return new string(_chars, 0, _length);
    }
}
