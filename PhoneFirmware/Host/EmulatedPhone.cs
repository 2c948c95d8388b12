using System;
using System.Collections.Concurrent;
using System.Threading;
using Hal.Host;
using PhoneFirmware.Core;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;

namespace PhoneFirmware.Host;

/// <summary>
/// One emulated phone: the portable core wired to host drivers, run by the same step loop the
/// device runs. Used by the `phone` program, by `controller demo` and by the integration tests.
/// </summary>
public sealed class EmulatedPhone : IDisposable, IPhoneEventSink
{
    private readonly PhoneOptions _options;
    private readonly IPhoneEventSink? _output;
    private readonly FileFlashRegion _flash;
    private readonly SystemClock _clock = new();
    private readonly ConcurrentQueue<PhoneEvent> _seen = new();

    public EmulatedPhone(PhoneOptions options, IPhoneEventSink? output)
    {
        _options = options;
        _output = output;
        _flash = new FileFlashRegion(options.EffectiveFlashPath, FlashLayout.Size);
        Keypad.HoldStar(options.HoldStar);
        Keypad.Press(options.Keys);
        Network = new HostNetworkInterface(options.Mac, options.EffectiveBindAddress, options.Interface, LeaseDnsResolver.Resolve);
        PhoneSettings settings = new()
        {
            DhcpBroadcastAddress = options.DhcpServerAddress,
            DhcpServerPort = options.DhcpServerPort,
            DhcpClientPort = options.DhcpClientPort,
            PresetPin = options.Pin,
        };
        if (options.BootFiles.Count > 0 || options.NoBootFiles)
        {
            settings.BootFiles = options.BootFiles.ToArray();
        }

        PhoneDevices devices = new(Network, _flash, new HeadlessDisplay(2, 20), Keypad, new SystemRandomSource(options.Seed), this);
        Core = new PhoneCore(devices, settings);
    }

    /// <summary>Every event, as it happens, on the phone's own thread.</summary>
    public event Action<PhoneEvent>? EventPublished;

    public QueuedKeypad Keypad { get; } = new();

    public HostNetworkInterface Network { get; }

    public PhoneCore Core { get; }

    public void Publish(PhoneEvent phoneEvent)
    {
        _seen.Enqueue(phoneEvent);
        _output?.Publish(phoneEvent);
        EventPublished?.Invoke(phoneEvent);
    }

    /// <summary>
    /// Powers the phone up and steps it until <paramref name="exitAfter"/> happens (true), the
    /// timeout passes or the token is cancelled (false).
    /// </summary>
    public bool Run(string? exitAfter, TimeSpan? timeout, CancellationToken cancellation)
    {
        return Run(e => exitAfter != null && e.Name == exitAfter, timeout, cancellation);
    }

    /// <summary>As <see cref="Run(string, TimeSpan?, CancellationToken)"/>, stopping at the first event <paramref name="exitWhen"/> accepts.</summary>
    public bool Run(Predicate<PhoneEvent> exitWhen, TimeSpan? timeout, CancellationToken cancellation)
    {
        long started = _clock.NowMilliseconds;
        long? stopAt = timeout.HasValue ? started + (long)timeout.Value.TotalMilliseconds : null;
        Core.PowerUp(_clock.NowMilliseconds);
        while (!cancellation.IsCancellationRequested)
        {
            long now = _clock.NowMilliseconds;
            long deadline = Core.Step(now);
            while (_seen.TryDequeue(out PhoneEvent? seen))
            {
                if (exitWhen(seen))
                {
                    return true;
                }
            }

            if (stopAt.HasValue && now >= stopAt.Value)
            {
                return false;
            }

            // Sockets are polled, so wake at least every 2 ms; sleep less when the core asks.
            long wait = Math.Clamp(deadline - now, 0, 2);
            if (wait > 0)
            {
                Thread.Sleep((int)wait);
            }
            else
            {
                Thread.Yield();
            }
        }

        return false;
    }

    public void Shutdown()
    {
        Core.Shutdown(_clock.NowMilliseconds);
    }

    public void Dispose()
    {
        _flash.Dispose();
    }
}
