using PhoneFirmware.Core.TestPort;
using Protocol.Common;

namespace Tests.Portable.Support;

/// <summary>Text in and out of a <see cref="TestPortSession"/>, as the serial line would carry it.</summary>
public static class TestPortWire
{
    public static void Send(TestPortSession session, string text)
    {
        byte[] bytes = Ascii.GetBytes(text);
        session.Receive(bytes, 0, bytes.Length);
    }

    /// <summary>Everything the session has to send, taken out of it.</summary>
    public static string TakeAll(TestPortSession session)
    {
        byte[] buffer = new byte[session.PendingOutput];
        int count = session.PeekOutput(buffer, 0, buffer.Length);
        session.ConsumeOutput(count);
        char[] chars = new char[count];
        for (int i = 0; i < count; i++)
        {
            chars[i] = (char)buffer[i];
        }

        return new string(chars);
    }
}
