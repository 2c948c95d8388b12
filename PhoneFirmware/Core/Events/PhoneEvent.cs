using System.Collections;

namespace PhoneFirmware.Core.Events;

/// <summary>
/// Something the phone did, for the host's JSON event stream and the device's serial test port.
/// Fields keep their insertion order; values are string, int, long, bool or string[].
/// </summary>
public sealed class PhoneEvent
{
    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _values = new ArrayList();

    public PhoneEvent(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public int FieldCount => _names.Count;

    public PhoneEvent With(string field, object value)
    {
        _names.Add(field);
        _values.Add(value);
        return this;
    }

    public string FieldName(int index)
    {
        return (string)_names[index]!;
    }

    public object FieldValue(int index)
    {
        return _values[index]!;
    }

    /// <summary>The value of a named field, or null.</summary>
    public object? Find(string field)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if ((string)_names[i]! == field)
            {
                return _values[i];
            }
        }

        return null;
    }
}
