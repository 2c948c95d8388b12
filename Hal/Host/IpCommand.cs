using System.Diagnostics;
using System.IO;

namespace Hal.Host;

/// <summary>
/// Runs iproute2's `ip` to configure the phone's interface (addresses, routes, VLAN
/// sub-interfaces) when the emulator owns a real interface (`phone --iface`, as root).
/// </summary>
public static class IpCommand
{
    private const int TimeoutMilliseconds = 10000;

    /// <summary>The iproute2 binary: /usr/sbin/ip on Debian, /sbin/ip elsewhere.</summary>
    public static string Path => File.Exists("/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip";

    /// <summary>Runs `ip ARGS`; throws <see cref="IOException"/> naming the command and its error when it fails.</summary>
    public static void Run(params string[] arguments)
    {
        if (!TryRun(out string error, arguments))
        {
            throw new IOException("ip " + string.Join(" ", arguments) + ": " + error);
        }
    }

    /// <summary>Runs `ip ARGS`; false with its error output when it fails.</summary>
    public static bool TryRun(out string error, params string[] arguments)
    {
        ProcessStartInfo start = new(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new IOException("cannot start " + Path);
        process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeoutMilliseconds))
        {
            process.Kill();
            error = "timed out";
            return false;
        }

        error = errors.Trim();
        return process.ExitCode == 0;
    }
}
