using System;
using System.Globalization;
using System.IO;

namespace Bench.Shared;

/// <summary>
/// A benchmark's command line read flag by flag: every bad value is refused (an
/// <see cref="ArgumentException"/>) with its flag named, before anything starts.
/// </summary>
public sealed class FlagReader
{
    private readonly string[] _args;
    private int _next;

    public FlagReader(string[] args)
    {
        _args = args;
    }

    /// <summary>The flag being read.</summary>
    public string Flag { get; private set; } = string.Empty;

    /// <summary>Moves to the next flag; false when there is none.</summary>
    public bool Next()
    {
        if (_next >= _args.Length)
        {
            return false;
        }

        Flag = _args[_next++];
        return true;
    }

    /// <summary>The flag's value: the argument after it.</summary>
    public string Value()
    {
        if (_next >= _args.Length)
        {
            throw new ArgumentException(Flag + " needs a value");
        }

        return _args[_next++];
    }

    /// <summary>The flag's value as a whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int Whole(int min, int max)
    {
        return Whole(Value(), min, max);
    }

    /// <summary><paramref name="text"/> (the value or one item of a list in it) as a whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int Whole(string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new ArgumentException(Flag + ": '" + text + "' is not a whole number from " + min + " to " + max);
        }

        return value;
    }

    /// <summary>The flag's value as the path of a file that exists; <paramref name="hint"/> says how to make it.</summary>
    public string ExistingFile(string hint)
    {
        string path = Value();
        if (!File.Exists(path))
        {
            throw new ArgumentException(Flag + ": no such file '" + path + "' (" + hint + ")");
        }

        return path;
    }

    /// <summary>The error for a flag no case took.</summary>
    public ArgumentException Unknown()
    {
        return new ArgumentException("unknown argument '" + Flag + "'");
    }
}
