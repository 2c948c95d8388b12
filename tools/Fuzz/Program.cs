using System;
using System.IO;
using SharpFuzz;

namespace Fuzz;

/// <summary>
/// `fuzz-targets TARGET`: runs one target under afl-fuzz (SharpFuzz's in-process loop);
/// `fuzz-targets TARGET --replay FILE...` runs inputs once each (a crash then shows its stack);
/// `fuzz-targets --list` names the targets; `fuzz-targets --seeds REPO DIR` writes the seed corpus. tools/fuzz drives it.
/// </summary>
public static class Program
{
    // Bounds every input the way the programs bound what they read (a datagram, a 1 MB file).
    private const int MaximumInput = 1 << 20;

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--list")
        {
            foreach (string name in FuzzTargets.All.Keys)
            {
                Console.Out.WriteLine(name);
            }

            return 0;
        }

        if (args.Length == 3 && args[0] == "--seeds")
        {
            Seeds.Write(args[1], args[2]);
            return 0;
        }

        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine("usage: fuzz-targets TARGET [--replay FILE...] | --list (targets: " + string.Join(", ", FuzzTargets.All.Keys) + ")");
            return 2;
        }

        if (args.Length > 1 && args[1] == "--replay")
        {
            for (int i = 2; i < args.Length; i++)
            {
                target(File.ReadAllBytes(args[i]));
            }

            return 0;
        }

        Fuzzer.Run(stream => target(Read(stream)));
        return 0;
    }

    private static byte[] Read(Stream stream)
    {
        using MemoryStream copy = new();
        byte[] buffer = new byte[65536];
        int count;
        while (copy.Length < MaximumInput && (count = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            copy.Write(buffer, 0, count);
        }

        return copy.ToArray();
    }
}
