using System.Collections;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// What a registration stage has to say, oldest first: its parts add to one queue so their events
/// keep the order they happened in, and <see cref="IRegistrationStage.PollEvent"/> takes from it.
/// </summary>
public sealed class RegistrationEventQueue
{
    private readonly ArrayList _events = new ArrayList();

    public void Add(RegistrationEvent registrationEvent)
    {
        _events.Add(registrationEvent);
    }

    /// <summary>The oldest event, removed; null when there is none.</summary>
    public RegistrationEvent? Poll()
    {
        if (_events.Count == 0)
        {
            return null;
        }

        RegistrationEvent next = (RegistrationEvent)_events[0]!;
        _events.RemoveAt(0);
        return next;
    }
}
