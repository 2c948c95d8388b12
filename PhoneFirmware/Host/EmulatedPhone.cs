using System;
using System.Collections.Concurrent;
using System.IO;
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
    private readonly FileFlashRegion? _imageFlash;
    private readonly SystemClock _clock = new();
    private readonly ConcurrentQueue<PhoneEvent> _seen = new();

    // --keys: typed once the first PIN prompt is open (the core discards keys pressed before a prompt).
    private string _keysForFirstPrompt;

    /// <summary>The emulated image flash: two halves of 8 MiB.</summary>
    public const int ImageFlashSize = 16 * 1024 * 1024;

    public EmulatedPhone(PhoneOptions options, IPhoneEventSink? output)
    {
        TlsClientOptions? tls = options.Phone.TlsClient(); // before anything that needs disposing
        _options = options;
        _output = output;
        _flash = new FileFlashRegion(options.EffectiveFlashPath, PhoneFlashLayout.Size);
        _imageFlash = options.ImageFlashPath == null ? null : new FileFlashRegion(options.ImageFlashPath, ImageFlashSize);
        Keypad.HoldStar(options.HoldStar);
        _keysForFirstPrompt = options.Keys;
        Network = new HostNetworkInterface(options.Mac, options.EffectiveBindAddress, options.Interface, tls);
        Network.TlsFailed += (target, reason) => Publish(new PhoneEvent(TlsFailedEvent).With("controller", target).With("reason", reason));
        PhoneSettings settings = new()
        {
            DhcpBroadcastAddress = options.DhcpServerAddress,
            DhcpServerPort = options.DhcpServerPort,
            DhcpClientPort = options.DhcpClientPort,
            PresetPin = options.Pin,
        };
        options.Phone.ApplyTo(settings, options.StaticAddress);

        PhoneDevices devices = new(Network, _flash, Display, Keypad, new SystemRandomSource(options.Seed), this, _imageFlash);
        Core = new PhoneCore(devices, settings);
    }

    /// <summary>A host-only event: a TLS link to a call server failed (refused certificate, not a TLS peer).</summary>
    public const string TlsFailedEvent = "tls.failed";

    /// <summary>Every event, as it happens, on the phone's own thread.</summary>
    public event Action<PhoneEvent>? EventPublished;

    public QueuedKeypad Keypad { get; } = new();

    /// <summary>The display's lines and progress bar, as the core last drew them (read by the terminal view).</summary>
    public HeadlessDisplay Display { get; } = new(2, 20);

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
        Core.PowerUp(_clock.NowMilliseconds);
        return Continue(exitWhen, timeout, cancellation);
    }

    /// <summary>
    /// SIP mode: removes the line's binding at its registrar (Expires: 0) and steps until the
    /// answer (or timer F) says it is gone: true once <c>sip.unregistered</c> came; false when no
    /// SIP line was running, the registrar refused the credentials (a prompt), the timeout passed
    /// or the token was cancelled. Then <see cref="Shutdown"/>.
    /// </summary>
    public bool Unregister(TimeSpan timeout, CancellationToken cancellation)
    {
        // A refusal of the removal's credentials ends in a prompt, not in sip.unregistered: stop there too.
        if (!Core.Unregister(_clock.NowMilliseconds))
        {
            return false;
        }

        string? ended = null;
        Continue(e => (ended = e.Name == EventNames.SipUnregistered || e.Name == EventNames.PinPrompt ? e.Name : null) != null, timeout, cancellation);
        return ended == EventNames.SipUnregistered;
    }

    /// <summary>Steps the powered-up phone on (after <see cref="Run(Predicate{PhoneEvent}, TimeSpan?, CancellationToken)"/>) until an event <paramref name="exitWhen"/> accepts (true), the timeout or the token (false).</summary>
    public bool Continue(Predicate<PhoneEvent> exitWhen, TimeSpan? timeout, CancellationToken cancellation)
    {
        long started = _clock.NowMilliseconds;
        long? stopAt = timeout.HasValue ? started + (long)timeout.Value.TotalMilliseconds : null;
        while (!cancellation.IsCancellationRequested)
        {
            long now = _clock.NowMilliseconds;
            long deadline = Core.Step(now);
            while (_seen.TryDequeue(out PhoneEvent? seen))
            {
                if (seen.Name == EventNames.PinPrompt && _keysForFirstPrompt.Length > 0)
                {
                    Keypad.Press(_keysForFirstPrompt); // the step that published the prompt has opened the entry
                    _keysForFirstPrompt = string.Empty;
                }

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
        _imageFlash?.Dispose();
    }
}
