using System;
using System.Device.I2c;

namespace Hal.Esp32;

/// <summary>
/// A text-only SSD1306 OLED driver over I2C (128x64 or 128x32): lines of 5x8 characters in
/// 6-pixel cells, one line per 8-pixel page, and the bottom page kept for a progress bar.
/// Each call redraws just the page it changes. Commands follow the SSD1306 datasheet.
/// <para>
/// <c>I2cDevice.Write</c> does not throw when nothing answers: it returns a status. A write that
/// is not a full transfer marks the display missing and is reported once to the
/// <see cref="DriverFaults"/>; the phone then runs headless (nothing more is sent, the lines are
/// still kept), and every <see cref="RetryEvery"/>th call tries the display again, redrawing
/// the kept lines when it answers.
/// </para>
/// </summary>
public sealed class Ssd1306Display : IDisplay
{
    private const byte CommandPrefix = 0x00;
    private const byte DataPrefix = 0x40;
    private const int CellWidth = Font5x8.Width + 1;

    /// <summary>Calls between two attempts to reach a missing display.</summary>
    public const int RetryEvery = 64;

    private readonly I2cDevice _device;
    private readonly DriverFaults _faults;
    private readonly string _where;
    private readonly int _height;
    private readonly string[] _lines;
    private int _progress = -1;
    private int _sinceRetry;
    private readonly int _width;
    private readonly int _pages;
    private readonly byte[] _page;
    private readonly byte[] _command2 = new byte[2];
    private readonly byte[] _command3 = new byte[3];
    private readonly byte[] _command4 = new byte[4];

    public Ssd1306Display(I2cDevice device, int width, int height, DriverFaults faults, string where)
    {
        _device = device;
        _faults = faults;
        _where = where;
        _width = width;
        _height = height;
        _pages = height / 8;
        _page = new byte[width + 1];
        Rows = _pages - 1;
        Columns = width / CellWidth;
        _lines = new string[Rows];
        for (int i = 0; i < Rows; i++)
        {
            _lines[i] = string.Empty;
        }

        Initialize(height);
        if (!Missing)
        {
            Clear();
        }
    }

    /// <summary>True while the display does not answer (the phone runs headless).</summary>
    public bool Missing { get; private set; }

    public int Rows { get; }

    public int Columns { get; }

    public void ShowLine(int row, string text)
    {
        if (row < 0 || row >= Rows)
        {
            return;
        }

        _lines[row] = text;
        if (!Reachable())
        {
            return;
        }

        DrawLine(row, text);
    }

    private void DrawLine(int row, string text)
    {
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
        _progress = percent;
        if (!Reachable())
        {
            return;
        }

        DrawProgress(percent);
    }

    private void DrawProgress(int percent)
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
        for (int i = 0; i < Rows; i++)
        {
            _lines[i] = string.Empty;
        }

        _progress = -1;
        if (!Reachable())
        {
            return;
        }

        ClearPageBuffer();
        for (int page = 0; page < _pages; page++)
        {
            WritePage(page);
        }
    }

    // Writes go out while the display answers; once missing, every RetryEvery-th call probes it
    // with a no-op command and, when it answers, initialises it and redraws what the core last showed.
    private bool Reachable()
    {
        if (!Missing)
        {
            return true;
        }

        _sinceRetry++;
        if (_sinceRetry < RetryEvery)
        {
            return false;
        }

        _sinceRetry = 0;
        _command2[0] = CommandPrefix;
        _command2[1] = 0xE3; // NOP
        if (!Write(_command2))
        {
            return false;
        }

        Missing = false;
        Initialize(_height);
        for (int row = 0; row < Rows; row++)
        {
            DrawLine(row, _lines[row]);
        }

        DrawProgress(_progress);
        if (!Missing)
        {
            _faults.Report("display", "the SSD1306 at " + _where + " answers again");
        }

        return !Missing;
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
        Send(_page);
    }

    private void Command(byte command)
    {
        _command2[0] = CommandPrefix;
        _command2[1] = command;
        Send(_command2);
    }

    private void Command(byte first, byte second)
    {
        _command3[0] = CommandPrefix;
        _command3[1] = first;
        _command3[2] = second;
        Send(_command3);
    }

    private void Command(byte command, byte first, byte second)
    {
        _command4[0] = CommandPrefix;
        _command4[1] = command;
        _command4[2] = first;
        _command4[3] = second;
        Send(_command4);
    }

    private void Send(byte[] bytes)
    {
        if (Missing)
        {
            return;
        }

        if (!Write(bytes))
        {
            Missing = true;
            _sinceRetry = 0;
            _faults.Report("display", "no SSD1306 answers at " + _where + "; running headless");
        }
    }

    // I2cDevice.Write reports a missing or miswired display by status, not by exception (a bus
    // error may still throw): either way it is a failed write, never a stopped phone.
    private bool Write(byte[] bytes)
    {
        try
        {
            return _device.Write(bytes).Status == I2cTransferStatus.FullTransfer;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
