using System;
using System.Collections.Generic;
using System.Threading;
using Hal;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Host;

namespace Controller.Web;

/// <summary>Whether a browser phone is powered.</summary>
public enum WebPhoneState
{
    Off,
    Running,
}

/// <summary>
/// An emulated phone driven from a web page: the same core and host drivers as `phone`, on a
/// thread of its own while powered. The page sends keys and power; the phone reports its screen
/// (the text the core draws) and its events through <see cref="Changed"/>.
/// </summary>
public sealed class WebPhone : IDisposable
{
    private const int KeptEvents = 12;
    private readonly object _gate = new();
    private readonly string _flashPath;
    private readonly int _dhcpPort;
    private readonly Queue<string> _events = new();
    private string[] _lines = { string.Empty, string.Empty };
    private EmulatedPhone? _phone;
    private Thread? _thread;
    private CancellationTokenSource? _stop;

    public WebPhone(string label, string mac, string flashPath, int dhcpPort)
    {
        Label = label;
        Mac = mac;
        _flashPath = flashPath;
        _dhcpPort = dhcpPort;
    }

    /// <summary>Raised (on the phone's thread or the caller's) after the screen, the events or the power changed.</summary>
    public event Action? Changed;

    public string Label { get; }

    public string Mac { get; }

    /// <summary>The MAC without colons: the phone's address in the pages.</summary>
    public string Id => Mac.Replace(":", string.Empty, StringComparison.Ordinal);

    public WebPhoneState State { get; private set; } = WebPhoneState.Off;

    public string[] Lines
    {
        get
        {
            lock (_gate)
            {
                return (string[])_lines.Clone();
            }
        }
    }

    /// <summary>The phone's latest events, newest last (as `phone --events text` prints them).</summary>
    public List<string> RecentEvents()
    {
        lock (_gate)
        {
            return new List<string>(_events);
        }
    }

    /// <summary>Powers up (a no-op when on); with <paramref name="holdingStar"/> the core sees '*' held and clears its PIN.</summary>
    public void PowerUp(bool holdingStar)
    {
        lock (_gate)
        {
            if (State == WebPhoneState.Running)
            {
                return;
            }

            PhoneOptions options = PhoneOptions.Parse(new[] { "--mac", Mac, "--flash", _flashPath, "--dhcp-server", "127.0.0.1:" + _dhcpPort, "--dhcp-client-port", "0" });
            EmulatedPhone phone = new(options, null);
            phone.Keypad.HoldStar(holdingStar);
            phone.EventPublished += e => OnEvent(phone, e);
            CancellationTokenSource stop = new();
            _phone = phone;
            _stop = stop;
            _lines = new[] { string.Empty, string.Empty };
            _thread = new Thread(() => RunUntilStopped(phone, stop.Token)) { IsBackground = true, Name = "web phone " + Mac };
            Enter(WebPhoneState.Running);
            _thread.Start();
        }

        Changed?.Invoke();
    }

    /// <summary>Powers down (the core's orderly shutdown), a no-op when off.</summary>
    public void PowerDown()
    {
        Thread? thread;
        lock (_gate)
        {
            if (State == WebPhoneState.Off)
            {
                return;
            }

            _stop!.Cancel();
            thread = _thread;
            Enter(WebPhoneState.Off);
        }

        thread?.Join();
        lock (_gate)
        {
            _stop?.Dispose();
            _stop = null;
            _phone = null;
            _thread = null;
            _lines = new[] { string.Empty, string.Empty };
        }

        Changed?.Invoke();
    }

    /// <summary>A key press: a dial key, <see cref="Keys.Confirm"/> or <see cref="Keys.Backspace"/>; ignored while off.</summary>
    public void Press(char key)
    {
        lock (_gate)
        {
            _phone?.Keypad.Press(key);
        }
    }

    public void Dispose()
    {
        PowerDown();
    }

    private void Enter(WebPhoneState state)
    {
        State = state;
    }

    private static void RunUntilStopped(EmulatedPhone phone, CancellationToken stop)
    {
        try
        {
            phone.Run(_ => false, null, stop);
            phone.Shutdown();
        }
        finally
        {
            phone.Dispose();
        }
    }

    private void OnEvent(EmulatedPhone phone, PhoneEvent e)
    {
        lock (_gate)
        {
            if (e.Name != EventNames.PowerUp)
            {
                phone.Keypad.HoldStar(false); // sampled once, just after the power.up event: let go
            }

            if (e.Name == EventNames.Display)
            {
                _lines = new[] { phone.Core.Screen.Line(0), phone.Core.Screen.Line(1) };
            }
            else
            {
                _events.Enqueue(EventWriter.ToText(e));
                if (_events.Count > KeptEvents)
                {
                    _events.Dequeue();
                }
            }
        }

        Changed?.Invoke();
    }
}
