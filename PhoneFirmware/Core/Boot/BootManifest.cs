using System.Collections;
using Protocol.Common;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The small manifest the controller serves next to the boot files (docs/tftp.md): one line per
/// file, <c>NAME SIZE SHA256 [VERSION]</c>, fields separated by spaces, <c>#</c> starts a comment.
/// Bounded in size, lines and field lengths; anything else is the project's parse error.
/// </summary>
public sealed class BootManifest
{
    public const string DefaultName = "boot.manifest";
    public const int MaximumLength = 4096;
    public const int MaximumEntries = 32;
    public const int MaximumNameLength = 128;
    public const int MaximumVersionLength = 32;

    private readonly ArrayList _entries = new ArrayList();

    public int Count => _entries.Count;

    public BootManifestEntry? Find(string name)
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            BootManifestEntry entry = (BootManifestEntry)_entries[i]!;
            if (entry.Name == name)
            {
                return entry;
            }
        }

        return null;
    }

    public static BootManifest Parse(byte[] data, int offset, int count)
    {
        if (count > MaximumLength)
        {
            throw new ProtocolParseException("manifest longer than " + MaximumLength.ToString() + " bytes");
        }

        BootManifest manifest = new BootManifest();
        int lineStart = offset;
        int lineNumber = 0;
        for (int i = offset; i <= offset + count; i++)
        {
            if (i < offset + count && data[i] != (byte)'\n')
            {
                continue;
            }

            lineNumber++;
            int end = i;
            if (end > lineStart && data[end - 1] == (byte)'\r')
            {
                end--;
            }

            string line = Ascii.GetPrintableString(data, lineStart, end - lineStart);
            lineStart = i + 1;
            int hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line.Substring(0, hash);
            }

            string[] fields = SplitFields(line);
            if (fields.Length == 0)
            {
                continue;
            }

            manifest.Add(ParseEntry(fields, lineNumber));
        }

        return manifest;
    }

    private void Add(BootManifestEntry entry)
    {
        if (Find(entry.Name) != null)
        {
            throw new ProtocolParseException("manifest lists " + entry.Name + " twice");
        }

        if (_entries.Count == MaximumEntries)
        {
            throw new ProtocolParseException("manifest lists more than " + MaximumEntries.ToString() + " files");
        }

        _entries.Add(entry);
    }

    private static BootManifestEntry ParseEntry(string[] fields, int lineNumber)
    {
        string where = "manifest line " + lineNumber.ToString() + ": ";
        if (fields.Length < 3 || fields.Length > 4)
        {
            throw new ProtocolParseException(where + "expected NAME SIZE SHA256 [VERSION]");
        }

        if (fields[0].Length > MaximumNameLength)
        {
            throw new ProtocolParseException(where + "file name too long");
        }

        long size = 0;
        string digits = fields[1];
        if (digits.Length == 0 || digits.Length > 12)
        {
            throw new ProtocolParseException(where + "bad size");
        }

        for (int i = 0; i < digits.Length; i++)
        {
            if (!Ascii.IsDigit(digits[i]))
            {
                throw new ProtocolParseException(where + "bad size");
            }

            size = (size * 10) + (digits[i] - '0');
        }

        string sha = fields[2];
        if (sha.Length != 64 || !IsLowerHex(sha))
        {
            throw new ProtocolParseException(where + "SHA-256 must be 64 lower-case hex digits");
        }

        string version = fields.Length == 4 ? fields[3] : string.Empty;
        if (version.Length > MaximumVersionLength)
        {
            throw new ProtocolParseException(where + "version too long");
        }

        BootManifestEntry entry = new BootManifestEntry();
        entry.Name = fields[0];
        entry.Size = size;
        entry.Sha256 = sha;
        entry.Version = version;
        return entry;
    }

    private static string[] SplitFields(string line)
    {
        ArrayList fields = new ArrayList();
        int start = -1;
        for (int i = 0; i <= line.Length; i++)
        {
            bool space = i == line.Length || line[i] == ' ';
            if (!space && start < 0)
            {
                start = i;
            }
            else if (space && start >= 0)
            {
                fields.Add(line.Substring(start, i - start));
                start = -1;
            }
        }

        string[] result = new string[fields.Count];
        for (int i = 0; i < fields.Count; i++)
        {
            result[i] = (string)fields[i]!;
        }

        return result;
    }

    private static bool IsLowerHex(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!Ascii.IsDigit(c) && !(c >= 'a' && c <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
