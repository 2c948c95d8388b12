using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Hal.Host;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.TestPort;

namespace PhoneFirmware.Host;

/// <summary>
/// `phone --test-port TTY`: the emulated phone serving the serial test port (docs/test-port.md) on
/// a tty, as a board does on its second UART. A pump thread moves bytes between the tty and the
/// sans-IO <see cref="TestPortSession"/>; keys go to the keypad, every event goes out as an EVENT
/// line, and RESTART power-cycles the phone: the running <see cref="EmulatedPhone"/> is shut down
/// and a new one powers up on the same flash file, with '*' held if asked.
/// </summary>
public sealed class TestPortHost : ITestPortPhone
{
    private const int BaudRate = 115200;
    private const int ChunkSize = 1024;

    private readonly object _gate = new();
    private readonly TtySerialPort _port;
    private readonly TestPortSession _session;
    private EmulatedPhone? _phone;
    private CancellationTokenSource? _cycle;
    private bool _restartPending;
    private bool _holdStarNext;
    private string? _portError;

    private TestPortHost(TtySerialPort port)
    {
        _port = port;
        _session = new TestPortSession(this);
    }

    public int ScreenRows
    {
        get
        {
            EmulatedPhone? phone = _phone;
            return phone != null ? phone.Core.Screen.Rows : 2;
        }
    }

    /// <summary>Runs the phone, power cycle after power cycle, until stopped, --exit-after or --timeout. Returns the exit code.</summary>
    public static int Run(PhoneOptions options, IPhoneEventSink? output, CancellationToken stop)
    {
        TtySerialPort port;
        try
        {
            port = new TtySerialPort(options.TestPort!, BaudRate);
        }
        catch (IOException error)
        {
            Console.Error.WriteLine("phone: --test-port " + error.Message);
            return 2;
        }

        TestPortHost host = new(port);
        using CancellationTokenSource stopAll = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Thread pump = new(() => host.Pump(stopAll))
        {
            IsBackground = true,
            Name = "test-port",
        };
        pump.Start();
        try
        {
            return host.RunPowerCycles(options, output, stopAll.Token);
        }
        catch (IOException error)
        {
            Console.Error.WriteLine("phone: " + error.Message);
            return 1;
        }
        catch (SocketException error)
        {
            Console.Error.WriteLine("phone: network: " + error.Message);
            return 1;
        }
        finally
        {
            stopAll.Cancel();
            pump.Join();
            port.Close();
        }
    }

    public bool PressKeys(string keys)
    {
        EmulatedPhone? phone = _phone;
        if (phone == null)
        {
            return false;
        }

        phone.Keypad.Press(keys);
        return true;
    }

    public void Restart(bool holdStar)
    {
        // Called by the session, inside _gate.
        _restartPending = true;
        _holdStarNext = holdStar;
        _cycle?.Cancel();
    }

    public string ScreenLine(int row)
    {
        EmulatedPhone? phone = _phone;
        return phone != null ? phone.Core.Screen.Line(row) : string.Empty;
    }

    private int RunPowerCycles(PhoneOptions options, IPhoneEventSink? output, CancellationToken stop)
    {
        DateTime? stopAt = options.TimeoutSeconds.HasValue ? DateTime.UtcNow.AddSeconds(options.TimeoutSeconds.Value) : null;
        bool holdStar = options.HoldStar;
        while (!stop.IsCancellationRequested)
        {
            using EmulatedPhone phone = new(options, output);
            using CancellationTokenSource cycle = CancellationTokenSource.CreateLinkedTokenSource(stop);
            lock (_gate)
            {
                holdStar |= _holdStarNext;
                _restartPending = false;
                _holdStarNext = false;
                _phone = phone;
                _cycle = cycle;
            }

            phone.Keypad.HoldStar(holdStar);
            phone.EventPublished += Publish;
            TimeSpan? remaining = stopAt.HasValue ? stopAt.Value - DateTime.UtcNow : null;
            bool reached = phone.Run(options.ExitAfter, remaining.HasValue && remaining.Value < TimeSpan.Zero ? TimeSpan.Zero : remaining, cycle.Token);
            phone.Shutdown();
            bool restart;
            lock (_gate)
            {
                _cycle = null;
                restart = _restartPending;
            }

            holdStar = false;
            if (reached)
            {
                return 0;
            }

            if (_portError != null)
            {
                Console.Error.WriteLine("phone: test port: " + _portError);
                return 1;
            }

            if (!restart)
            {
                if (stop.IsCancellationRequested || options.ExitAfter == null)
                {
                    return 0;
                }

                Console.Error.WriteLine("phone: timed out before '" + options.ExitAfter + "'");
                return 3;
            }
        }

        return 0;
    }

    private void Publish(PhoneEvent phoneEvent)
    {
        lock (_gate)
        {
            _session.Publish(phoneEvent);
        }
    }

    // Polls the tty: what arrives is carried out by the session, what the session has is written.
    private void Pump(CancellationTokenSource stopAll)
    {
        byte[] input = new byte[ChunkSize];
        byte[] output = new byte[ChunkSize];
        try
        {
            while (!stopAll.IsCancellationRequested)
            {
                int read = _port.Read(input, 0, input.Length);
                int written = 0;
                lock (_gate)
                {
                    if (read > 0)
                    {
                        _session.Receive(input, 0, read);
                    }

                    int pending = _session.PeekOutput(output, 0, output.Length);
                    if (pending > 0)
                    {
                        written = _port.Write(output, 0, pending);
                        _session.ConsumeOutput(written);
                    }
                }

                if (read == 0 && written == 0)
                {
                    Thread.Sleep(2);
                }
            }
        }
        catch (IOException error)
        {
            _portError = error.Message;
            stopAll.Cancel();
        }
    }
}
