using System;
using Protocol.Common;

namespace Tests.Portable.Support;

/// <summary>
/// Inputs for the fuzz tests, each made from its own seed so a failure names the one seed that
/// reproduces it: random bytes, or a valid sample with bit flips, truncation, changed length-like
/// bytes, insertions, deletions or a splice from another sample.
/// </summary>
public static class Fuzz
{
    public const int Iterations = 100000;

    private static readonly byte[] Boundaries = new byte[] { 0, 1, 2, 3, 4, 5, 6, 0x7F, 0x80, 0xFE, 0xFF };

    public static byte[] Input(SeededRandom random, byte[][] samples, int maxRandomLength)
    {
        if (random.Next(4) == 0)
        {
            return random.NextBytes(random.Next(maxRandomLength + 1));
        }

        byte[] input = (byte[])samples[random.Next(samples.Length)].Clone();
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations; m++)
        {
            input = Mutate(random, input, samples);
        }

        return input;
    }

    public static byte[] Mutate(SeededRandom random, byte[] input, byte[][] samples)
    {
        if (input.Length == 0)
        {
            return random.NextBytes(1 + random.Next(8));
        }

        int at = random.Next(input.Length);
        switch (random.Next(7))
        {
            case 0: // bit flip
                input[at] ^= (byte)(1 << random.Next(8));
                return input;
            case 1: // truncation
                return Bytes.Slice(input, 0, random.Next(input.Length));
            case 2: // a length-like byte set to a boundary value
                input[at] = Boundaries[random.Next(Boundaries.Length)];
                return input;
            case 3: // a length-like byte nudged by one
                input[at] = (byte)(input[at] + (random.Next(2) == 0 ? 1 : -1));
                return input;
            case 4: // insertion
                byte[] inserted = new byte[input.Length + 1 + random.Next(4)];
                Array.Copy(input, inserted, at);
                for (int i = at; i < at + inserted.Length - input.Length; i++)
                {
                    inserted[i] = random.NextByte();
                }

                Array.Copy(input, at, inserted, at + inserted.Length - input.Length, input.Length - at);
                return inserted;
            case 5: // deletion
                int count = 1 + random.Next(input.Length - at);
                byte[] deleted = new byte[input.Length - count];
                Array.Copy(input, deleted, at);
                Array.Copy(input, at + count, deleted, at, input.Length - at - count);
                return deleted;
            default: // splice: the head of this input, the tail of another sample
                byte[] other = samples[random.Next(samples.Length)];
                int from = random.Next(other.Length + 1);
                byte[] spliced = new byte[at + other.Length - from];
                Array.Copy(input, spliced, at);
                Array.Copy(other, from, spliced, at, other.Length - from);
                return spliced;
        }
    }

    public static string Describe(uint seed, byte[] input, Exception e)
    {
        return "seed " + seed.ToString() + ": " + e.GetType().Name + " (" + e.Message + ") on input " + Ascii.ToHex(input, 0, input.Length);
    }
}
