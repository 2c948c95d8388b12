using System.Globalization;
using Controller.Forms;

namespace Controller.Registration;

/// <summary>
/// Automatic DN Selection for userless devices: the installer enters only the registration access
/// code, and the element hunts circularly in its range (System Options) for a free DN, starting
/// where the last hunt stopped, skipping DNs that are taken here or known on another element, and
/// giving up after <see cref="RegistrationPolicy.AutomaticDnSkipLimit"/> such DNs in a row.
/// </summary>
public static class AutomaticDnSelection
{
    public const string DirectoryName = "IP Device Only";

    /// <summary>A free DN of the range, or null when the range is off, full, or the hunt gave up.</summary>
    public static string? Hunt(ElementForms forms, RegistrationPolicy policy)
    {
        string[] range = forms.SystemOptions.AutomaticDnRange.Split('-');
        if (range.Length != 2)
        {
            return null;
        }

        long first = long.Parse(range[0], CultureInfo.InvariantCulture);
        long last = long.Parse(range[1], CultureInfo.InvariantCulture);
        int width = range[0].Length;
        long count = last - first + 1;
        long start = long.TryParse(forms.SystemOptions.AutomaticDnCursor, NumberStyles.None, CultureInfo.InvariantCulture, out long cursor) && cursor >= first && cursor <= last ? cursor : first;
        int skippedInARow = 0;
        for (long i = 0; i < count; i++)
        {
            long number = first + ((start - first + i) % count);
            string dn = number.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            if (forms.TelephoneDirectory.Find(dn) == null && !forms.ClusterDirectory.RemoteHomes(dn).HasValue)
            {
                forms.SystemOptions.AutomaticDnCursor = (number + 1 > last ? first : number + 1).ToString(CultureInfo.InvariantCulture);
                return dn;
            }

            skippedInARow++;
            if (skippedInARow >= policy.AutomaticDnSkipLimit)
            {
                return null;
            }
        }

        return null;
    }
}
