using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;

namespace PhoneFirmware.Host.Terminal;

/// <summary>
/// `phone --terminal`: the emulated phone with its display drawn in the terminal and the keyboard
/// as its keypad. Three threads: the phone's step loop (the caller's), a keyboard reader
/// (Console.ReadKey, no curses) and a painter that redraws changed rows in place with ANSI
/// escapes. A power cycle builds a fresh phone on the same flash, as cutting the power would.
/// </summary>
public sealed class TerminalView
{
    private const int RedrawMilliseconds = 50;
    private const string EnterScreen = "\u001b[?1049h\u001b[?25l\u001b[2J";
    private const string LeaveScreen = "\u001b[?25h\u001b[?1049l";

    private readonly PhoneOptions _options;
    private readonly CancellationTokenSource _stop;
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _painterStop = new();
    private EmulatedPhone? _phone;
    private CancellationTokenSource? _power;
    private int _powerUps;
    private bool _starHeldAtPowerUp;
    private volatile bool _holdStarNext;
    private volatile string _lastEvent = string.Empty;
    private TerminalFrame _lastFrame = new(new[] { string.Empty, string.Empty }, 20, -1, "power off", string.Empty);

    private TerminalView(PhoneOptions options, CancellationTokenSource stop)
    {
        _options = options;
        _stop = stop;
    }

    /// <summary>Runs the phone in the terminal until `q`, a signal or --exit-after; returns the exit code.</summary>
    public static int Run(PhoneOptions options, CancellationTokenSource stop)
    {
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            Console.Error.WriteLine("phone: --terminal needs a terminal on stdin and stdout (run it in a terminal or in tmux)");
            return 2;
        }

        return new TerminalView(options, stop).Run();
    }

    private int Run()
    {
        // tmux kill-session hangs up; a service manager terminates: both still restore the terminal.
        using PosixSignalRegistration hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        DateTime? stopAt = _options.TimeoutSeconds.HasValue ? DateTime.UtcNow.AddSeconds(_options.TimeoutSeconds.Value) : null;
        bool reached = false;
        bool timedOut = false;
        Write(EnterScreen);
        Thread painter = StartThread(Paint, "terminal-painter");
        StartThread(ReadKeyboard, "terminal-keyboard");
        try
        {
            bool holdStar = _options.HoldStar;
            while (!_stop.IsCancellationRequested && !reached && !timedOut)
            {
                TimeSpan? remaining = stopAt.HasValue ? stopAt.Value - DateTime.UtcNow : null;
                if (remaining.HasValue && remaining.Value <= TimeSpan.Zero)
                {
                    timedOut = true;
                    break;
                }

                using CancellationTokenSource power = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                using EmulatedPhone phone = new(_options, null);
                phone.Keypad.HoldStar(holdStar);
                phone.EventPublished += OnEvent;
                lock (_gate)
                {
                    _phone = phone;
                    _power = power;
                    _powerUps++;
                    _starHeldAtPowerUp = holdStar;
                }

                reached = phone.Run(_options.ExitAfter, remaining, power.Token);
                lock (_gate)
                {
                    _phone = null;
                    _power = null;
                }

                phone.Shutdown();
                timedOut = !reached && !power.IsCancellationRequested;
                holdStar = _holdStarNext;
            }
        }
        finally
        {
            _painterStop.Set();
            painter.Join();
            Write(LeaveScreen);
        }

        if (timedOut && _options.ExitAfter != null)
        {
            Console.Error.WriteLine("phone: timed out before '" + _options.ExitAfter + "'");
            return 3;
        }

        return 0;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }

    private void OnEvent(PhoneEvent phoneEvent)
    {
        if (phoneEvent.Name != EventNames.Display)
        {
            _lastEvent = EventWriter.ToText(phoneEvent);
        }
    }

    private void ReadKeyboard()
    {
        while (!_stop.IsCancellationRequested)
        {
            char typed;
            try
            {
                typed = Console.ReadKey(intercept: true).KeyChar;
            }
            catch (InvalidOperationException)
            {
                return; // stdin stopped being a terminal
            }
            catch (IOException)
            {
                return;
            }

            Handle(typed);
        }
    }

    private void Handle(char typed)
    {
        TerminalCommand command = TerminalKeys.Map(typed);
        switch (command)
        {
            case TerminalCommand.Keypad:
                lock (_gate)
                {
                    _phone?.Keypad.Press(TerminalKeys.ToKeypadKey(typed));
                }

                break;
            case TerminalCommand.PowerCycle:
            case TerminalCommand.PowerCycleHoldingStar:
                _holdStarNext = command == TerminalCommand.PowerCycleHoldingStar;
                lock (_gate)
                {
                    _power?.Cancel();
                }

                break;
            case TerminalCommand.Quit:
                _stop.Cancel();
                break;
        }
    }

    private void Paint()
    {
        string[] drawn = Array.Empty<string>();
        int drawnWidth = -1;
        int drawnHeight = -1;
        do
        {
            int width;
            int height;
            try
            {
                width = Console.WindowWidth;
                height = Console.WindowHeight;
            }
            catch (IOException)
            {
                return; // the terminal went away
            }

            StringBuilder output = new();
            if (width != drawnWidth || height != drawnHeight)
            {
                output.Append("\u001b[2J");
                drawn = Array.Empty<string>();
                drawnWidth = width;
                drawnHeight = height;
            }

            string[] rows = TerminalScreen.Render(Snapshot(), width, height);
            for (int i = 0; i < Math.Max(rows.Length, drawn.Length); i++)
            {
                string row = i < rows.Length ? rows[i] : string.Empty;
                if (i >= drawn.Length || drawn[i] != row)
                {
                    // Clear first, then write: an erase after a full-width row would eat its last character.
                    output.Append("\u001b[").Append(i + 1).Append(";1H\u001b[2K").Append(row);
                }
            }

            drawn = rows;
            if (output.Length > 0)
            {
                Write(output.ToString());
            }
        }
        while (!_painterStop.Wait(RedrawMilliseconds));
    }

    private TerminalFrame Snapshot()
    {
        lock (_gate)
        {
            if (_phone == null)
            {
                return _lastFrame with { Status = "power off", LastEvent = _lastEvent };
            }

            Hal.Host.HeadlessDisplay display = _phone.Display;
            string[] lines = new string[display.Rows];
            for (int row = 0; row < lines.Length; row++)
            {
                lines[row] = display.Line(row);
            }

            string status = StatusWord(_phone.Core) + " | mac " + _options.MacText + " | power-up " + _powerUps + (_starHeldAtPowerUp ? " (* held)" : string.Empty);
            _lastFrame = new TerminalFrame(lines, display.Columns, display.ProgressPercent, status, _lastEvent);
            return _lastFrame;
        }
    }

    private static void Write(string text)
    {
        try
        {
            Console.Out.Write(text);
            Console.Out.Flush();
        }
        catch (IOException)
        {
            // the terminal is gone (hang-up): nothing left to draw on or restore
        }
    }

    private static Thread StartThread(ThreadStart body, string name)
    {
        Thread thread = new(body) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    // While registering, the registration stage's phase says more than "Registration" (Prompting, Registered, ...).
    private static string StatusWord(PhoneCore core)
    {
        return core.State == PhoneState.Registration ? core.Registration.Phase.ToString() : core.State.ToString();
    }
}
