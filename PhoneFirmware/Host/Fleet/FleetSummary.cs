using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// The fleet's final account: how many phones booted, registered, were redirected, prompted or
/// failed (by reason), each phase's p50/p99 per phone, and the managed memory held per registered
/// phone, and what the workers' loop did per registered phone (steps, waits, wakes, bytes allocated).
/// Printed as a table and, with --summary-json, written for scripts (with every phone's outcome).
/// </summary>
public sealed class FleetSummary
{
    private readonly List<FleetPhone> _phones;

    public FleetSummary(List<FleetPhone> phones, FleetOptions options, long wallMilliseconds, long heldBytes, int heldAtRegistered)
    {
        _phones = phones;
        Options = options;
        WallMilliseconds = wallMilliseconds;
        HeldBytes = heldBytes;
        HeldAtRegistered = heldAtRegistered;
        foreach (FleetPhone phone in phones)
        {
            Booted += phone.Booted ? 1 : 0;
            Redirected += phone.Redirected ? 1 : 0;
            Prompted += phone.Prompted ? 1 : 0;
            Typed += phone.Typed ? 1 : 0;
            Challenged += phone.Challenged ? 1 : 0;
            WaitedForTftp += phone.WaitedForTftp ? 1 : 0;
            if (phone.Outcome == FleetOutcome.Registered)
            {
                Registered++;
            }
            else if (phone.Outcome == FleetOutcome.Refused)
            {
                Refused++;
            }
            else if (phone.Outcome == FleetOutcome.Prompted)
            {
                WaitingAtPrompt++;
            }
            else
            {
                Failed++;
                string reason = phone.FailureReason ?? "unknown";
                Reasons[reason] = Reasons.TryGetValue(reason, out int seen) ? seen + 1 : 1;
            }
        }
    }

    public FleetOptions Options { get; }

    public long WallMilliseconds { get; }

    /// <summary>Managed bytes held (after a full GC) above the empty fleet, measured when the most phones were registered.</summary>
    public long HeldBytes { get; }

    /// <summary>How many phones were registered when <see cref="HeldBytes"/> was measured.</summary>
    public int HeldAtRegistered { get; }

    public long HeldBytesPerRegisteredPhone => HeldAtRegistered == 0 ? 0 : HeldBytes / HeldAtRegistered;

    /// <summary>The clock's time the workers started (power-up of the first phones).</summary>
    public long StartedAt { get; init; }

    /// <summary>The workers' loop counters, taken with <see cref="HeldBytes"/> (when every phone settled, or at the timeout).</summary>
    public FleetLoopCounters Loop { get; init; } = new();

    /// <summary>Bytes the whole process allocated from the workers' start to that moment (every thread).</summary>
    public long ProcessAllocatedBytes { get; init; }

    /// <summary>Milliseconds from the workers' start to the last phone's first registered event; -1 when none registered.</summary>
    public long LastRegisteredMilliseconds
    {
        get
        {
            long last = -1;
            foreach (FleetPhone phone in _phones)
            {
                last = Math.Max(last, phone.RegisteredAt < 0 ? -1 : phone.RegisteredAt - StartedAt);
            }

            return last;
        }
    }

    public int Booted { get; }

    public int Registered { get; }

    public int Redirected { get; }

    /// <summary>Phones that waited for a TFTP server at least once (tftp.waiting).</summary>
    public int WaitedForTftp { get; }

    /// <summary>SIP: phones the registrar challenged for credentials (sip.challenge).</summary>
    public int Challenged { get; }

    /// <summary>SIP: phones whose credentials the registrar refused; not counted in <see cref="Failed"/>.</summary>
    public int Refused { get; }

    public int Prompted { get; }

    public int Typed { get; }

    public int WaitingAtPrompt { get; }

    public int Failed { get; }

    public SortedDictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);

    /// <summary>The phase's per-phone milliseconds at quantile <paramref name="q"/> (nearest rank), -1 when no phone finished it.</summary>
    public long Percentile(Func<FleetPhone, long> phase, double q)
    {
        List<long> values = new();
        foreach (FleetPhone phone in _phones)
        {
            long value = phase(phone);
            if (value >= 0)
            {
                values.Add(value);
            }
        }

        if (values.Count == 0)
        {
            return -1;
        }

        values.Sort();
        int rank = (int)Math.Ceiling(q * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }

    public string ToTable()
    {
        StringBuilder text = new();
        string shard = Options.ShardCount > 1 ? " (shard " + Options.ShardIndex + "/" + Options.ShardCount + ")" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"fleet: {_phones.Count} phones{shard} on {Options.Threads} threads, {WallMilliseconds / 1000.0:F1} s\n");
        Row(text, "booted", Booted);
        Row(text, "registered", Registered);
        Row(text, "redirected", Redirected);
        Row(text, "waited for a TFTP server", WaitedForTftp);
        if (Options.Sip)
        {
            Row(text, "challenged", Challenged);
            Row(text, "refused", Refused);
        }
        Row(text, "prompted", Prompted);
        Row(text, "  typed a PIN", Typed);
        Row(text, "  left at prompt", WaitingAtPrompt);
        Row(text, "failed", Failed);
        foreach (KeyValuePair<string, int> reason in Reasons)
        {
            Row(text, "  " + reason.Key, reason.Value);
        }

        text.Append("phase          p50 ms    p99 ms\n");
        foreach ((string name, Func<FleetPhone, long> phase) in Phases())
        {
            text.Append(CultureInfo.InvariantCulture, $"{name,-12} {Format(Percentile(phase, 0.50)),8}  {Format(Percentile(phase, 0.99)),8}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"held per registered phone: {HeldBytesPerRegisteredPhone} bytes managed ({HeldBytes} bytes over {HeldAtRegistered} registered, after a full GC)\n");
        text.Append(CultureInfo.InvariantCulture, $"loop per registered phone: {PerPhone(Loop.Steps):F1} steps, {PerPhone(Loop.Waits):F1} waits, {PerPhone(Loop.Ready):F1} ready sockets, {PerPhone(Loop.Wakes):F2} wakes; allocated {PerPhone(Loop.AllocatedBytes):F0} bytes on the workers, {PerPhone(ProcessAllocatedBytes):F0} in the process\n");
        return text.ToString();
    }

    public void WriteJson(string path)
    {
        using FileStream file = new(path, FileMode.Create, FileAccess.Write);
        using Utf8JsonWriter json = new(file, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("phones", _phones.Count);
        json.WriteNumber("shard", Options.ShardIndex);
        json.WriteNumber("shards", Options.ShardCount);
        json.WriteNumber("threads", Options.Threads);
        json.WriteNumber("wallMilliseconds", WallMilliseconds);
        json.WriteNumber("booted", Booted);
        json.WriteNumber("registered", Registered);
        json.WriteNumber("redirected", Redirected);
        json.WriteNumber("waitedForTftp", WaitedForTftp);
        json.WriteString("protocol", Options.Sip ? "sip" : "bench");
        json.WriteNumber("challenged", Challenged);
        json.WriteNumber("refused", Refused);
        json.WriteNumber("prompted", Prompted);
        json.WriteNumber("typed", Typed);
        json.WriteNumber("leftAtPrompt", WaitingAtPrompt);
        json.WriteNumber("failed", Failed);
        json.WriteStartObject("failedByReason");
        foreach (KeyValuePair<string, int> reason in Reasons)
        {
            json.WriteNumber(reason.Key, reason.Value);
        }

        json.WriteEndObject();
        json.WriteStartObject("phaseMilliseconds");
        foreach ((string name, Func<FleetPhone, long> phase) in Phases())
        {
            json.WriteStartObject(name);
            json.WriteNumber("p50", Percentile(phase, 0.50));
            json.WriteNumber("p99", Percentile(phase, 0.99));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteNumber("heldBytesPerRegisteredPhone", HeldBytesPerRegisteredPhone);
        json.WriteNumber("heldBytes", HeldBytes);
        json.WriteNumber("heldAtRegistered", HeldAtRegistered);
        json.WriteNumber("lastRegisteredMilliseconds", LastRegisteredMilliseconds);
        json.WriteStartObject("loop");
        json.WriteNumber("registered", HeldAtRegistered);
        json.WriteNumber("steps", Loop.Steps);
        json.WriteNumber("waits", Loop.Waits);
        json.WriteNumber("readySockets", Loop.Ready);
        json.WriteNumber("wakes", Loop.Wakes);
        json.WriteNumber("workerAllocatedBytes", Loop.AllocatedBytes);
        json.WriteNumber("processAllocatedBytes", ProcessAllocatedBytes);
        json.WriteEndObject();
        json.WriteStartArray("outcomes");
        foreach (FleetPhone phone in _phones)
        {
            json.WriteStartObject();
            json.WriteNumber("phone", phone.Index);
            json.WriteString("mac", phone.Mac);
            json.WriteString("outcome", phone.Outcome.ToString().ToLowerInvariant());
            json.WriteString("dn", phone.Dn);
            json.WriteBoolean("booted", phone.Booted);
            json.WriteBoolean("redirected", phone.Redirected);
            json.WriteBoolean("challenged", phone.Challenged);
            json.WriteBoolean("waitedForTftp", phone.WaitedForTftp);
            json.WriteBoolean("prompted", phone.Prompted);
            json.WriteBoolean("typed", phone.Typed);
            json.WriteNumber("poweredUpMilliseconds", Since(phone.PoweredAt));
            json.WriteNumber("registeredMilliseconds", Since(phone.RegisteredAt));
            if (phone.FailureReason != null)
            {
                json.WriteString("reason", phone.FailureReason);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static (string Name, Func<FleetPhone, long> Phase)[] Phases()
    {
        return new (string, Func<FleetPhone, long>)[]
        {
            ("dhcp", p => p.DhcpMilliseconds),
            ("tftp", p => p.BootFilesMilliseconds),
            ("registration", p => p.RegistrationMilliseconds),
            ("total", p => p.TotalMilliseconds),
        };
    }

    // A clock time as milliseconds since the workers started; -1 stays -1 (never).
    private long Since(long at)
    {
        return at < 0 ? -1 : at - StartedAt;
    }

    // Per phone registered when the counters were taken (HeldAtRegistered: the same moment).
    private double PerPhone(long count)
    {
        return HeldAtRegistered == 0 ? 0 : (double)count / HeldAtRegistered;
    }

    private static void Row(StringBuilder text, string name, int count)
    {
        text.Append(CultureInfo.InvariantCulture, $"{name,-28} {count,7}\n");
    }

    private static string Format(long milliseconds)
    {
        return milliseconds < 0 ? "-" : milliseconds.ToString(CultureInfo.InvariantCulture);
    }
}
