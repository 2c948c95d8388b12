using System.Collections;

namespace Protocol.Sip;

/// <summary>
/// The vendor's configuration files (startup.cfg, &lt;model&gt;.cfg, &lt;MAC&gt;.cfg): lines of
/// "key: value", '#' starting a comment line, "^key" resetting a key to its default and "!key"
/// locking it (the lock is kept as a plain setting here). Keys compare without case and with runs
/// of spaces folded. A malformed line — no colon, an empty key, a control byte, longer than
/// <see cref="MaxLineLength"/> — is skipped and counted, never fatal; <see cref="Apply"/> layers a
/// later file over an earlier one.
/// </summary>
public sealed class SipConfigFile
{
    public const int MaxFileLength = 65536;
    public const int MaxLineLength = 512;
    public const int MaxKeys = 512;

    private readonly ArrayList _keys = new ArrayList();
    private readonly ArrayList _values = new ArrayList();
    private readonly ArrayList _resets = new ArrayList();

    public int Count => _keys.Count;

    /// <summary>Lines skipped as malformed (in this file, or summed over the files applied).</summary>
    public int MalformedLines { get; private set; }

    public static SipConfigFile Parse(byte[] data, int offset, int count)
    {
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            throw new Common.ProtocolParseException("file range out of bounds");
        }

        SipConfigFile file = new SipConfigFile();
        int end = offset + (count > MaxFileLength ? MaxFileLength : count);
        if (count > MaxFileLength)
        {
            file.MalformedLines++;
        }

        int start = offset;
        while (start < end)
        {
            int lineEnd = start;
            while (lineEnd < end && data[lineEnd] != '\n')
            {
                lineEnd++;
            }

            file.ParseLine(data, start, lineEnd);
            start = lineEnd + 1;
        }

        return file;
    }

    public string KeyAt(int index)
    {
        return (string)_keys[index]!;
    }

    public string ValueAt(int index)
    {
        return (string)_values[index]!;
    }

    /// <summary>The value of a key ("sip line1 user name", any case), or null when the files do not set it.</summary>
    public string? Get(string key)
    {
        int index = IndexOf(NormalizeKey(key));
        return index < 0 ? null : (string)_values[index]!;
    }

    /// <summary>Lays <paramref name="later"/> over this file: its keys win, its "^key" lines remove keys.</summary>
    public void Apply(SipConfigFile later)
    {
        for (int i = 0; i < later._resets.Count; i++)
        {
            Remove((string)later._resets[i]!);
        }

        for (int i = 0; i < later._keys.Count; i++)
        {
            Set((string)later._keys[i]!, (string)later._values[i]!);
        }

        MalformedLines += later.MalformedLines;
    }

    /// <summary>Lower case, trimmed, inner runs of spaces and tabs as one space.</summary>
    public static string NormalizeKey(string key)
    {
        Common.TextBuilder text = new Common.TextBuilder(key.Length);
        bool space = false;
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (SipText.IsWhitespace(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(SipText.Lower(c));
        }

        return text.ToString();
    }

    private void ParseLine(byte[] data, int start, int end)
    {
        if (end > start && data[end - 1] == '\r')
        {
            end--;
        }

        int first = start;
        while (first < end && (data[first] == ' ' || data[first] == '\t'))
        {
            first++;
        }

        if (first == end || data[first] == '#')
        {
            return;
        }

        if (end - start > MaxLineLength)
        {
            MalformedLines++;
            return;
        }

        char[] chars = new char[end - first];
        for (int i = first; i < end; i++)
        {
            byte b = data[i];
            if ((b < 0x20 && b != '\t') || b == 0x7F)
            {
                MalformedLines++;
                return;
            }

            chars[i - first] = (char)b;
        }

        string line = new string(chars);
        bool reset = line[0] == '^';
        if (reset || line[0] == '!')
        {
            line = line.Substring(1);
        }

        int colon = line.IndexOf(':');
        string key = NormalizeKey(colon < 0 ? line : line.Substring(0, colon));
        if (key.Length == 0 || (colon < 0 && !reset))
        {
            MalformedLines++;
            return;
        }

        if (reset)
        {
            Remove(key);
            _resets.Add(key);
            return;
        }

        if (IndexOf(key) < 0 && _keys.Count >= MaxKeys)
        {
            MalformedLines++;
            return;
        }

        Set(key, SipText.Trim(line.Substring(colon + 1)));
    }

    private void Set(string key, string value)
    {
        int index = IndexOf(key);
        if (index >= 0)
        {
            _values[index] = value;
        }
        else
        {
            _keys.Add(key);
            _values.Add(value);
        }
    }

    private void Remove(string key)
    {
        int index = IndexOf(key);
        if (index >= 0)
        {
            _keys.RemoveAt(index);
            _values.RemoveAt(index);
        }
    }

    private int IndexOf(string key)
    {
        for (int i = 0; i < _keys.Count; i++)
        {
            if ((string)_keys[i]! == key)
            {
                return i;
            }
        }

        return -1;
    }
}
