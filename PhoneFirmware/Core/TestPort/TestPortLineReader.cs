using Protocol.Common;

namespace PhoneFirmware.Core.TestPort;

/// <summary>
/// Cuts a serial byte stream into lines: LF, CR or CR LF ends a line, empty lines are skipped.
/// Holds at most <c>maxLength</c> bytes; a longer line or one with a byte outside printable ASCII
/// is dropped whole, and its end reports the project's parse error, so the caller can answer it.
/// </summary>
public sealed class TestPortLineReader
{
    private readonly char[] _line;
    private int _length;
    private bool _tooLong;
    private int _badByte = -1;

    public TestPortLineReader(int maxLength)
    {
        _line = new char[maxLength];
    }

    /// <summary>Bytes of the unfinished line held so far.</summary>
    public int Buffered => _length;

    /// <summary>
    /// Takes one byte. Returns the finished line at a line end, null otherwise; throws
    /// <see cref="ProtocolParseException"/> at the end of a line that was too long or not printable ASCII.
    /// </summary>
    public string? Push(byte b)
    {
        if (b == (byte)'\n' || b == (byte)'\r')
        {
            return EndLine();
        }

        if (b < 0x20 || b > 0x7E)
        {
            if (_badByte < 0)
            {
                _badByte = b;
            }
        }
        else if (_length == _line.Length)
        {
            _tooLong = true;
        }
        else if (!_tooLong)
        {
            _line[_length++] = (char)b;
        }

        return null;
    }

    private string? EndLine()
    {
        bool tooLong = _tooLong;
        int badByte = _badByte;
        int length = _length;
        _length = 0;
        _tooLong = false;
        _badByte = -1;
        if (tooLong)
        {
            throw new ProtocolParseException("line longer than " + _line.Length.ToString() + " characters");
        }

        if (badByte >= 0)
        {
            throw new ProtocolParseException("byte 0x" + badByte.ToString("X2") + " is not printable ASCII");
        }

        return length == 0 ? null : new string(_line, 0, length);
    }
}
