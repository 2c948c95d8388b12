using System.Collections.Generic;
using System.Globalization;
using System.Text;
using PhoneFirmware.Core.Boot;

namespace PhoneFirmware.Host.Fleet;

/// <summary>A snapshot of the fleet for the live progress line: phones per state, settled, and troubles by reason.</summary>
public sealed class FleetCounts
{
    private readonly int[] _byState = new int[System.Enum.GetValues<PhoneState>().Length]; // sized by the enum: a state added to the core must not overrun it

    private FleetCounts()
    {
    }

    public int Pending { get; private set; }

    public int Registered { get; private set; }

    public int Prompted { get; private set; }

    /// <summary>SIP: phones whose credentials the registrar refused (settled).</summary>
    public int Refused { get; private set; }

    /// <summary>Pending phones that reported a trouble (reset, unreachable call server), by that trouble.</summary>
    public SortedDictionary<string, int> Troubles { get; } = new(System.StringComparer.Ordinal);

    /// <summary>Reads every phone's outcome and state as its worker last left them (a moment's skew is fine).</summary>
    public static FleetCounts Of(List<FleetPhone> phones)
    {
        FleetCounts counts = new();
        foreach (FleetPhone phone in phones)
        {
            switch (phone.Outcome)
            {
                case FleetOutcome.Registered:
                    counts.Registered++;
                    break;
                case FleetOutcome.Prompted:
                    counts.Prompted++;
                    break;
                case FleetOutcome.Refused:
                    counts.Refused++;
                    break;
                default:
                    counts.Pending++;
                    counts._byState[(int)phone.State]++;
                    string? trouble = phone.FailureReason;
                    if (trouble != null)
                    {
                        counts.Troubles[trouble] = counts.Troubles.TryGetValue(trouble, out int seen) ? seen + 1 : 1;
                    }

                    break;
            }
        }

        return counts;
    }

    public string ProgressLine(long elapsedMilliseconds)
    {
        StringBuilder line = new();
        line.Append(CultureInfo.InvariantCulture, $"{elapsedMilliseconds / 1000.0,6:F1}s  registered {Registered}  prompted {Prompted}{(Refused > 0 ? "  refused " + Refused : string.Empty)}  booting:");
        foreach (PhoneState state in new[] { PhoneState.WaitingForLink, PhoneState.Dhcp, PhoneState.BootFiles, PhoneState.ConfigFiles, PhoneState.Registration, PhoneState.Resetting })
        {
            line.Append(CultureInfo.InvariantCulture, $" {FleetPhone.StateName(state)} {_byState[(int)state]}");
        }

        foreach (KeyValuePair<string, int> trouble in Troubles)
        {
            line.Append(CultureInfo.InvariantCulture, $"  [{trouble.Key}: {trouble.Value}]");
        }

        return line.ToString();
    }
}
