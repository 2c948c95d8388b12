namespace Hal;

/// <summary>A small character display (an SSD1306 on the device, the terminal on the host).</summary>
public interface IDisplay
{
    int Rows { get; }

    int Columns { get; }

    /// <summary>Replaces one line; text longer than <see cref="Columns"/> is cut by the driver.</summary>
    void ShowLine(int row, string text);

    /// <summary>Shows a progress bar from 0 to 100, or hides it for a negative value.</summary>
    void ShowProgress(int percent);

    void Clear();
}
