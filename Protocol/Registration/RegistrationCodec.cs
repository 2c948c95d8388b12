using Protocol.Common;

namespace Protocol.Registration;

/// <summary>
/// Frames: <c>version(1) · type(1) · body-length(2, big-endian) · body</c>, the body a run of
/// <c>tag(1) · length(1) · value</c> fields (docs/registration-protocol.md). Unknown tags are
/// skipped; an unknown type is returned as such for the receiver to answer with Error.
/// </summary>
public static class RegistrationCodec
{
    public const int Version = 1;
    public const int HeaderLength = 4;
    public const int MaximumBodyLength = 1024;

    public static byte[] Encode(RegistrationMessage message)
    {
        // One buffer for the whole frame: the header first, its body length patched in at the end.
        ByteWriter body = new ByteWriter(64);
        body.WriteByte(Version);
        body.WriteByte((int)message.Type);
        body.WriteUInt16(0);
        if (message.Mac != null)
        {
            if (message.Mac.Length != 6)
            {
                throw new System.ArgumentException("MAC must be 6 bytes");
            }

            WriteField(body, RegistrationFieldTag.Mac, message.Mac);
        }

        if (message.SetType != 0)
        {
            WriteUInt16(body, RegistrationFieldTag.SetType, message.SetType);
        }

        WriteText(body, RegistrationFieldTag.FirmwareVersion, message.FirmwareVersion);
        if (message.Pin != null)
        {
            WriteAscii(body, RegistrationFieldTag.Pin, message.Pin);
        }

        if (message.Reason != PinRequestReason.None)
        {
            WriteByteField(body, RegistrationFieldTag.Reason, (int)message.Reason);
        }

        WriteText(body, RegistrationFieldTag.Dn, message.Dn);
        WriteText(body, RegistrationFieldTag.DisplayName, message.DisplayName);
        if (message.SavePin)
        {
            WriteByteField(body, RegistrationFieldTag.SavePin, 1);
        }

        WriteText(body, RegistrationFieldTag.Host, message.Host);
        if (message.Port != 0)
        {
            WriteUInt16(body, RegistrationFieldTag.Port, message.Port);
        }

        WriteText(body, RegistrationFieldTag.Text, message.Text);
        if (message.Type == RegistrationMessageType.DisplayText || message.Row != 0)
        {
            WriteByteField(body, RegistrationFieldTag.Row, message.Row);
        }

        if (message.Key != '\0')
        {
            WriteByteField(body, RegistrationFieldTag.Key, message.Key);
        }

        if (message.Type == RegistrationMessageType.Keepalive || message.Type == RegistrationMessageType.KeepaliveAck || message.Sequence != 0)
        {
            body.WriteByte(RegistrationFieldTag.Sequence);
            body.WriteByte(4);
            body.WriteUInt32(message.Sequence);
        }

        WriteFlag(body, RegistrationFieldTag.Failover, message.Failover);
        WriteText(body, RegistrationFieldTag.AlternateHost, message.AlternateHost);
        if (message.AlternatePort != 0)
        {
            WriteUInt16(body, RegistrationFieldTag.AlternatePort, message.AlternatePort);
        }

        WriteFlag(body, RegistrationFieldTag.AllowReturn, message.AllowReturn);
        if (message.CeidIndex != 0)
        {
            WriteUInt16(body, RegistrationFieldTag.CeidIndex, message.CeidIndex);
        }

        if (message.SecondaryCeidIndex != 0)
        {
            WriteUInt16(body, RegistrationFieldTag.SecondaryCeidIndex, message.SecondaryCeidIndex);
        }

        WriteFlag(body, RegistrationFieldTag.Deleted, message.Deleted);
        if (message.RetrySeconds != 0)
        {
            WriteUInt16(body, RegistrationFieldTag.RetrySeconds, message.RetrySeconds);
        }

        int bodyLength = body.Length - HeaderLength;
        if (bodyLength > MaximumBodyLength)
        {
            throw new System.ArgumentException("frame body longer than " + MaximumBodyLength.ToString() + " bytes");
        }

        body.PatchUInt16(2, bodyLength);
        return body.ToArray();
    }

    /// <summary>Decodes one body (the header already checked by the frame reader).</summary>
    public static RegistrationMessage DecodeBody(int type, byte[] buffer, int offset, int count)
    {
        RegistrationMessage message = new RegistrationMessage((RegistrationMessageType)type);
        ByteReader reader = new ByteReader(buffer, offset, count);
        while (reader.Remaining > 0)
        {
            int tag = reader.ReadByte();
            if (reader.Remaining < 1)
            {
                throw new ProtocolParseException("field " + tag.ToString() + " has no length");
            }

            int length = reader.ReadByte();
            if (length > reader.Remaining)
            {
                throw new ProtocolParseException("field " + tag.ToString() + " runs past the frame");
            }

            int at = reader.Position;
            switch (tag)
            {
                case RegistrationFieldTag.Mac:
                    RequireLength(tag, length, 6);
                    message.Mac = reader.ReadBytes(6);
                    continue;
                case RegistrationFieldTag.SetType:
                    RequireLength(tag, length, 2);
                    message.SetType = BigEndian.ReadUInt16(buffer, at);
                    break;
                case RegistrationFieldTag.FirmwareVersion:
                    message.FirmwareVersion = Ascii.GetPrintableString(buffer, at, length);
                    break;
                case RegistrationFieldTag.Pin:
                    message.Pin = Ascii.GetPrintableString(buffer, at, length);
                    break;
                case RegistrationFieldTag.Reason:
                    RequireLength(tag, length, 1);
                    message.Reason = (PinRequestReason)buffer[at];
                    break;
                case RegistrationFieldTag.Dn:
                    message.Dn = Ascii.GetPrintableString(buffer, at, length);
                    break;
                case RegistrationFieldTag.DisplayName:
                    message.DisplayName = Ascii.GetPrintableString(buffer, at, length);
                    break;
                case RegistrationFieldTag.SavePin:
                    RequireLength(tag, length, 1);
                    message.SavePin = buffer[at] != 0;
                    break;
                case RegistrationFieldTag.Host:
                    message.Host = Ascii.GetPrintableString(buffer, at, length);
                    break;
                case RegistrationFieldTag.Port:
                    RequireLength(tag, length, 2);
                    message.Port = BigEndian.ReadUInt16(buffer, at);
                    break;
                case RegistrationFieldTag.Text:
                    message.Text = Ascii.GetPrintableString(buffer, at, length);
                    break;
                case RegistrationFieldTag.Row:
                    RequireLength(tag, length, 1);
                    message.Row = buffer[at];
                    break;
                case RegistrationFieldTag.Key:
                    RequireLength(tag, length, 1);
                    message.Key = (char)buffer[at];
                    break;
                case RegistrationFieldTag.Sequence:
                    RequireLength(tag, length, 4);
                    message.Sequence = BigEndian.ReadUInt32(buffer, at);
                    break;
                case RegistrationFieldTag.Failover:
                    RequireLength(tag, length, 1);
                    message.Failover = buffer[at] != 0;
                    break;
                case RegistrationFieldTag.AlternateHost:
                    message.AlternateHost = Ascii.GetPrintableString(buffer, at, length);
                    break;
                case RegistrationFieldTag.AlternatePort:
                    RequireLength(tag, length, 2);
                    message.AlternatePort = BigEndian.ReadUInt16(buffer, at);
                    break;
                case RegistrationFieldTag.AllowReturn:
                    RequireLength(tag, length, 1);
                    message.AllowReturn = buffer[at] != 0;
                    break;
                case RegistrationFieldTag.CeidIndex:
                    RequireLength(tag, length, 2);
                    message.CeidIndex = BigEndian.ReadUInt16(buffer, at);
                    break;
                case RegistrationFieldTag.SecondaryCeidIndex:
                    RequireLength(tag, length, 2);
                    message.SecondaryCeidIndex = BigEndian.ReadUInt16(buffer, at);
                    break;
                case RegistrationFieldTag.Deleted:
                    RequireLength(tag, length, 1);
                    message.Deleted = buffer[at] != 0;
                    break;
                case RegistrationFieldTag.RetrySeconds:
                    RequireLength(tag, length, 2);
                    message.RetrySeconds = BigEndian.ReadUInt16(buffer, at);
                    break;
                default:
                    break; // a field from a newer version: skipped
            }

            reader.Skip(length);
        }

        return message;
    }

    private static void RequireLength(int tag, int length, int expected)
    {
        if (length != expected)
        {
            throw new ProtocolParseException("field " + tag.ToString() + " must be " + expected.ToString() + " bytes, not " + length.ToString());
        }
    }

    private static void WriteText(ByteWriter body, int tag, string text)
    {
        if (text.Length > 0)
        {
            WriteAscii(body, tag, text);
        }
    }

    // Text straight into the frame (no intermediate byte array), refused as Ascii.GetBytes refuses it.
    private static void WriteAscii(ByteWriter body, int tag, string text)
    {
        if (text.Length > 255)
        {
            throw new System.ArgumentException("field " + tag.ToString() + " longer than 255 bytes");
        }

        body.WriteByte(tag);
        body.WriteByte(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0x7F)
            {
                throw new System.ArgumentException("not ASCII: " + text);
            }

            body.WriteByte(c);
        }
    }

    private static void WriteFlag(ByteWriter body, int tag, bool value)
    {
        if (value)
        {
            WriteByteField(body, tag, 1);
        }
    }

    private static void WriteByteField(ByteWriter body, int tag, int value)
    {
        body.WriteByte(tag);
        body.WriteByte(1);
        body.WriteByte(value);
    }

    private static void WriteUInt16(ByteWriter body, int tag, int value)
    {
        body.WriteByte(tag);
        body.WriteByte(2);
        body.WriteUInt16(value);
    }

    private static void WriteField(ByteWriter body, int tag, byte[] value)
    {
        if (value.Length > 255)
        {
            throw new System.ArgumentException("field " + tag.ToString() + " longer than 255 bytes");
        }

        body.WriteByte(tag);
        body.WriteByte(value.Length);
        body.WriteBytes(value);
    }
}
