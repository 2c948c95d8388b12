using System.Device.I2c;

namespace Hal.Esp32;

/// <summary>
/// A text-only SSD1306 OLED driver over I2C (128x64 or 128x32): lines of 5x8 characters in
/// 6-pixel cells, one line per 8-pixel page, and the bottom page kept for a progress bar.
/// Each call redraws just the page it changes. Commands follow the SSD1306 datasheet.
/// </summary>
public sealed class Ssd1306Display : IDisplay
{
    private const byte CommandPrefix = 0x00;
    private const byte DataPrefix = 0x40;
    private const int CellWidth = Font5x8.Width + 1;

    private readonly I2cDevice _device;
    private readonly int _width;
    private readonly int _pages;
    private readonly byte[] _page;
    private readonly byte[] _command2 = new byte[2];
    private readonly byte[] _command3 = new byte[3];
    private readonly byte[] _command4 = new byte[4];

    public Ssd1306Display(I2cDevice device, int width, int height)
    {
        _device = device;
        _width = width;
        _pages = height / 8;
        _page = new byte[width + 1];
        Rows = _pages - 1;
        Columns = width / CellWidth;
        Initialize(height);
        Clear();
    }

    public int Rows { get; }

    public int Columns { get; }

    public void ShowLine(int row, string text)
    {
        if (row < 0 || row >= Rows)
        {
            return;
        }

        ClearPageBuffer();
        int length = text.Length < Columns ? text.Length : Columns;
        for (int i = 0; i < length; i++)
        {
            Font5x8.Draw(text[i], _page, 1 + (i * CellWidth));
        }

        WritePage(row);
    }

    public void ShowProgress(int percent)
    {
        ClearPageBuffer();
        if (percent >= 0)
        {
            int filled = (percent > 100 ? 100 : percent) * (_width - 2) / 100;
            for (int x = 0; x < _width; x++)
            {
                // A one-pixel frame (rows 1 and 6, both ends) with the filled part solid.
                byte column = (x == 0 || x == _width - 1) ? (byte)0x7E : (byte)0x42;
                if (x > 0 && x <= filled)
                {
                    column = 0x7E;
                }

                _page[1 + x] = column;
            }
        }

        WritePage(_pages - 1);
    }

    public void Clear()
    {
        ClearPageBuffer();
        for (int page = 0; page < _pages; page++)
        {
            WritePage(page);
        }
    }

    private void Initialize(int height)
    {
        Command(0xAE);                              // display off
        Command(0xD5, 0x80);                        // clock divide ratio / oscillator
        Command(0xA8, (byte)(height - 1));          // multiplex ratio
        Command(0xD3, 0x00);                        // display offset
        Command(0x40);                              // start line 0
        Command(0x8D, 0x14);                        // charge pump on (internal VCC)
        Command(0x20, 0x00);                        // horizontal addressing
        Command(0xA1);                              // segment remap: column 127 is SEG0
        Command(0xC8);                              // COM scan from the bottom
        Command(0xDA, height == 64 ? (byte)0x12 : (byte)0x02); // COM pins layout
        Command(0x81, 0xCF);                        // contrast
        Command(0xD9, 0xF1);                        // pre-charge period
        Command(0xDB, 0x40);                        // VCOMH deselect level
        Command(0xA4);                              // show RAM contents
        Command(0xA6);                              // not inverted
        Command(0xAF);                              // display on
    }

    private void ClearPageBuffer()
    {
        _page[0] = DataPrefix;
        for (int i = 1; i < _page.Length; i++)
        {
            _page[i] = 0;
        }
    }

    private void WritePage(int page)
    {
        Command(0x21, 0x00, (byte)(_width - 1));    // column range: the whole width
        Command(0x22, (byte)page, (byte)page);      // page range: this page only
        _device.Write(_page);
    }

    private void Command(byte command)
    {
        _command2[0] = CommandPrefix;
        _command2[1] = command;
        _device.Write(_command2);
    }

    private void Command(byte first, byte second)
    {
        _command3[0] = CommandPrefix;
        _command3[1] = first;
        _command3[2] = second;
        _device.Write(_command3);
    }

    private void Command(byte command, byte first, byte second)
    {
        _command4[0] = CommandPrefix;
        _command4[1] = command;
        _command4[2] = first;
        _command4[3] = second;
        _device.Write(_command4);
    }
}
