using System.IO;
using PhoneFirmware.Core.Events;

namespace PhoneFirmware.Host.Fleet;

/// <summary>`--events json`: every phone's events as JSON lines, each led by the phone's index and MAC.</summary>
public sealed class FleetEventOutput
{
    private readonly TextWriter _output;
    private readonly object _gate = new();

    public FleetEventOutput(TextWriter output)
    {
        _output = output;
    }

    /// <summary>From any worker: one line, written whole.</summary>
    public void Write(FleetPhone phone, PhoneEvent phoneEvent)
    {
        // EventWriter's object, with the phone's identity spliced in before its "event" field.
        string json = EventWriter.ToJson(phoneEvent);
        string line = "{\"phone\":" + phone.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"mac\":\"" + phone.Mac + "\"," + json.Substring(1);
        lock (_gate)
        {
            _output.WriteLine(line);
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            _output.Flush();
        }
    }
}
