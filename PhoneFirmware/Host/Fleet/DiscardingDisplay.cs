using Hal;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// A fleet phone's display: nobody looks at a thousand screens, so lines are dropped (the core
/// still composes and publishes them; the fleet omits display events from its output).
/// </summary>
public sealed class DiscardingDisplay : IDisplay
{
    public static readonly DiscardingDisplay Instance = new();

    public int Rows => 2;

    public int Columns => 20;

    public void ShowLine(int row, string text)
    {
    }

    public void ShowProgress(int percent)
    {
    }

    public void Clear()
    {
    }
}
