using System;
using System.Globalization;
using System.IO;
using DhcpBench;

namespace Bench.Shared;

/// <summary>
/// The frame of a benchmark that runs in a pair of network namespaces (bench/dhcp's
/// <see cref="NamespacePair"/>, compiled in beside this file): --help, the command line, the peers
/// it needs, a work directory and the namespaces, torn down on exit and on Ctrl-C. Exit 0 when the
/// run says so, 1 when it failed, 2 for bad arguments or a missing peer.
/// </summary>
public static class NamespaceBench
{
    /// <param name="name">The program's name, first on each error line and in the work directory's.</param>
    /// <param name="keepWorkWhenFailed">Keep the work directory (its logs) after a failed run, and say where it is.</param>
    public static int Run<TSettings>(string name, string[] args, string usage, Func<string[], TSettings> parse, Func<TSettings, string?> missing, Func<TSettings, NamespacePair, string, int> run, bool keepWorkWhenFailed)
    {
        if (Array.IndexOf(args, "--help") >= 0)
        {
            Console.Out.WriteLine(usage);
            return 0;
        }

        TSettings settings;
        try
        {
            settings = parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(name + ": " + e.Message);
            Console.Error.WriteLine(usage);
            return 2;
        }

        string? absent = missing(settings);
        if (absent != null)
        {
            Console.Error.WriteLine(name + ": " + absent);
            return 2;
        }

        string work = Path.Combine(Path.GetTempPath(), name + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        NamespacePair? pair = null;
        ConsoleCancelEventHandler cancel = (_, _) => pair?.Dispose();
        Console.CancelKeyPress += cancel;
        int exitCode = 1;
        try
        {
            pair = new NamespacePair();
            exitCode = run(settings, pair, work);
            return exitCode;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(name + ": " + e.Message + (keepWorkWhenFailed ? " (logs in " + work + ")" : string.Empty));
            return 1;
        }
        finally
        {
            pair?.Dispose();
            Console.CancelKeyPress -= cancel;
            if (exitCode == 0 || !keepWorkWhenFailed)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Why the run cannot start: not root (<paramref name="whyRoot"/>), or the first of <paramref name="tools"/> not installed; null when all is there.</summary>
    public static string? MissingPeer(string whyRoot, params string[] tools)
    {
        if (Environment.UserName != "root")
        {
            return whyRoot;
        }

        foreach (string tool in tools)
        {
            if (!File.Exists(tool))
            {
                return tool + " is missing: run 'bash tools/install-test-deps' (as root)";
            }
        }

        return null;
    }
}
