using System.Collections;
using Protocol.Common;

namespace Protocol.Dhcp;

/// <summary>
/// The options of one message in order of first appearance. Repeated instances of a code are
/// concatenated on parse and values longer than 255 bytes are split on encode (RFC 3396).
/// </summary>
public sealed class DhcpOptionList
{
    /// <summary>Bound on one option's concatenated value; a DHCP message cannot carry more.</summary>
    public const int MaximumValueLength = 4096;

    private readonly ArrayList _options = new ArrayList();

    public int Count => _options.Count;

    public DhcpOption this[int index] => (DhcpOption)_options[index]!;

    /// <summary>The option's value, or null when absent.</summary>
    public byte[]? Get(byte code)
    {
        int index = IndexOf(code);
        return index < 0 ? null : this[index].Data;
    }

    public bool Contains(byte code)
    {
        return IndexOf(code) >= 0;
    }

    /// <summary>Sets (replaces) an option's value.</summary>
    public void Set(byte code, byte[] value)
    {
        if (value.Length > MaximumValueLength)
        {
            throw new System.ArgumentException("option value too long");
        }

        int index = IndexOf(code);
        if (index >= 0)
        {
            _options[index] = new DhcpOption(code, value);
        }
        else
        {
            _options.Add(new DhcpOption(code, value));
        }
    }

    public void SetByte(byte code, int value)
    {
        Set(code, new byte[] { (byte)value });
    }

    public void SetUInt32(byte code, uint value)
    {
        byte[] data = new byte[4];
        BigEndian.WriteUInt32(data, 0, value);
        Set(code, data);
    }

    public void SetAddresses(byte code, uint[] addresses)
    {
        byte[] data = new byte[addresses.Length * 4];
        for (int i = 0; i < addresses.Length; i++)
        {
            Ipv4.Write(data, i * 4, addresses[i]);
        }

        Set(code, data);
    }

    public void SetString(byte code, string value)
    {
        Set(code, Ascii.GetBytes(value));
    }

    /// <summary>A 4-byte option as a number, or <paramref name="fallback"/> when absent or of another length.</summary>
    public uint GetUInt32(byte code, uint fallback)
    {
        byte[]? data = Get(code);
        return data != null && data.Length == 4 ? BigEndian.ReadUInt32(data, 0) : fallback;
    }

    /// <summary>The addresses of an address-list option; empty when absent or not a multiple of 4.</summary>
    public uint[] GetAddresses(byte code)
    {
        byte[]? data = Get(code);
        if (data == null || data.Length == 0 || data.Length % 4 != 0)
        {
            return new uint[0];
        }

        uint[] addresses = new uint[data.Length / 4];
        for (int i = 0; i < addresses.Length; i++)
        {
            addresses[i] = Ipv4.Read(data, i * 4);
        }

        return addresses;
    }

    /// <summary>
    /// Reads an options area (after the magic cookie, or the sname/file fields when overloaded),
    /// stopping at End or at the end of the area; pads are skipped.
    /// </summary>
    public void ParseArea(byte[] buffer, int offset, int count)
    {
        ByteReader reader = new ByteReader(buffer, offset, count);
        while (reader.Remaining > 0)
        {
            byte code = reader.ReadByte();
            if (code == DhcpOptionCode.Pad)
            {
                continue;
            }

            if (code == DhcpOptionCode.End)
            {
                return;
            }

            if (reader.Remaining < 1)
            {
                throw new ProtocolParseException("option " + code.ToString() + " has no length byte");
            }

            int length = reader.ReadByte();
            if (length > reader.Remaining)
            {
                throw new ProtocolParseException("option " + code.ToString() + " length " + length.ToString() + " runs past the message");
            }

            Append(code, reader.Buffer, reader.Position, length);
            reader.Skip(length);
        }
    }

    /// <summary>Writes every option, split into 255-byte instances where needed, then End.</summary>
    public void WriteTo(ByteWriter writer)
    {
        for (int i = 0; i < _options.Count; i++)
        {
            DhcpOption option = this[i];
            int written = 0;
            do
            {
                int chunk = option.Data.Length - written;
                if (chunk > 255)
                {
                    chunk = 255;
                }

                writer.WriteByte(option.Code);
                writer.WriteByte(chunk);
                writer.WriteBytes(option.Data, written, chunk);
                written += chunk;
            }
            while (written < option.Data.Length);
        }

        writer.WriteByte(DhcpOptionCode.End);
    }

    private void Append(byte code, byte[] buffer, int offset, int count)
    {
        int index = IndexOf(code);
        if (index < 0)
        {
            byte[] value = new byte[count];
            System.Array.Copy(buffer, offset, value, 0, count);
            _options.Add(new DhcpOption(code, value));
            return;
        }

        byte[] previous = this[index].Data;
        if (previous.Length + count > MaximumValueLength)
        {
            throw new ProtocolParseException("option " + code.ToString() + " exceeds " + MaximumValueLength.ToString() + " bytes");
        }

        byte[] joined = new byte[previous.Length + count];
        System.Array.Copy(previous, 0, joined, 0, previous.Length);
        System.Array.Copy(buffer, offset, joined, previous.Length, count);
        _options[index] = new DhcpOption(code, joined);
    }

    private int IndexOf(byte code)
    {
        for (int i = 0; i < _options.Count; i++)
        {
            if (this[i].Code == code)
            {
                return i;
            }
        }

        return -1;
    }
}
