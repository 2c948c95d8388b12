using System;
using System.Globalization;
using System.IO;

namespace BootStorm;

/// <summary>
/// A process's CPU time and resident memory read from /proc (user + system ticks of
/// /proc/PID/stat, VmRSS and VmHWM of /proc/PID/status); zeros once the process is gone.
/// </summary>
public readonly struct ProcessSample
{
    // USER_HZ: the unit of utime/stime; 100 on every Linux architecture the project runs on.
    private const double TicksPerSecond = 100;

    public ProcessSample(double cpuSeconds, long residentBytes, long peakResidentBytes)
    {
        CpuSeconds = cpuSeconds;
        ResidentBytes = residentBytes;
        PeakResidentBytes = peakResidentBytes;
    }

    public double CpuSeconds { get; }

    public long ResidentBytes { get; }

    /// <summary>VmHWM: the peak of the process's whole life.</summary>
    public long PeakResidentBytes { get; }

    public static ProcessSample Of(int pid)
    {
        try
        {
            string stat = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");

            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            long rss = 0;
            long hwm = 0;
            foreach (string line in File.ReadLines("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/status"))
            {
                rss = line.StartsWith("VmRSS:", StringComparison.Ordinal) ? Kib(line) : rss;
                hwm = line.StartsWith("VmHWM:", StringComparison.Ordinal) ? Kib(line) : hwm;
            }

            return new ProcessSample(cpu, rss, hwm);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    private static long Kib(string line)
    {
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
