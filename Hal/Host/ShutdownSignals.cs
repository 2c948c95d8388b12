using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Hal.Host;

/// <summary>
/// How a host program stops when a service manager or a terminal asks: the first SIGTERM or SIGINT
/// cancels <c>stop</c> so the program finishes or abandons its work and exits 0; if that takes longer
/// than the bound, or a second signal comes, the process exits at once with 128 + the signal number.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    /// <summary>How long a program has, after the first signal, to flush and exit by itself.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(5);

    private readonly string _program;
    private readonly CancellationTokenSource _stop;
    private readonly TextWriter _log;
    private readonly TimeSpan _bound;
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _interrupt;
    private Timer? _watchdog;
    private int _received;

    private ShutdownSignals(string program, CancellationTokenSource stop, TextWriter log, TimeSpan bound)
    {
        _program = program;
        _stop = stop;
        _log = log;
        _bound = bound;
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>The signal that started the shutdown (SIGTERM or SIGINT), or null while none came.</summary>
    public string? Received { get; private set; }

    /// <summary>From now on SIGTERM and SIGINT cancel <paramref name="stop"/> (see the class summary).</summary>
    public static ShutdownSignals Install(string program, CancellationTokenSource stop, TextWriter log, TimeSpan? bound = null)
    {
        return new ShutdownSignals(program, stop, log, bound ?? DefaultBound);
    }

    public void Dispose()
    {
        _terminate.Dispose();
        _interrupt.Dispose();
        _watchdog?.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // we exit ourselves, after the program's own shutdown
        string name = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";
        int code = 128 + (context.Signal == PosixSignal.SIGTERM ? 15 : 2);
        if (Interlocked.Increment(ref _received) > 1)
        {
            Exit(name + " again: exiting now", code);
            return;
        }

        Received = name;
        _log.WriteLine(_program + ": " + name + ": stopping (at most " + _bound.TotalSeconds + " s; a second signal exits at once)");
        _watchdog = new Timer(_ => Exit("not stopped within " + _bound.TotalSeconds + " s: exiting now", code), null, _bound, Timeout.InfiniteTimeSpan);

        // Cancellation callbacks run elsewhere, so this thread is free for the second signal.
        Task.Run(() =>
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the program had already finished
            }
        });
    }

    private void Exit(string why, int code)
    {
        _log.WriteLine(_program + ": " + why);
        _log.Flush();
        Environment.Exit(code);
    }
}
