using System;
using PhoneFirmware.Core.Events;

namespace PhoneFirmware.Device;

/// <summary>
/// The board's event output: one line per event, <c>event name field=value ...</c>, on the
/// console, which nanoFramework sends over the debug/deployment serial link (Visual Studio's
/// output window, or any tool attached to it).
/// </summary>
public sealed class ConsoleEventSink : IPhoneEventSink
{
    public void Publish(PhoneEvent phoneEvent)
    {
        string line = "event " + phoneEvent.Name;
        for (int i = 0; i < phoneEvent.FieldCount; i++)
        {
            line += " " + phoneEvent.FieldName(i) + "=" + Format(phoneEvent.FieldValue(i));
        }

        Console.WriteLine(line);
    }

    private static string Format(object value)
    {
        string[]? list = value as string[];
        if (list == null)
        {
            return value.ToString();
        }

        string text = string.Empty;
        for (int i = 0; i < list.Length; i++)
        {
            text += (i == 0 ? string.Empty : ",") + list[i];
        }

        return text;
    }
}
