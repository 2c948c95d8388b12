using Protocol.Common;

namespace Tests.Portable.Support;

/// <summary>Byte-array helpers for assertions (no LINQ on the device).</summary>
public static class Bytes
{
    public static bool Equal(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    public static string Hex(byte[] data)
    {
        return Ascii.ToHex(data, 0, data.Length);
    }

    public static byte[] Concat(byte[] a, byte[] b)
    {
        byte[] result = new byte[a.Length + b.Length];
        System.Array.Copy(a, result, a.Length);
        System.Array.Copy(b, 0, result, a.Length, b.Length);
        return result;
    }

    public static byte[] Slice(byte[] data, int offset, int count)
    {
        byte[] result = new byte[count];
        System.Array.Copy(data, offset, result, 0, count);
        return result;
    }

    public static byte[] Filled(int count, int seed)
    {
        byte[] result = new byte[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = (byte)((i * 31) + seed);
        }

        return result;
    }

    public static string Text(byte[] data)
    {
        return Ascii.GetLenientString(data, 0, data.Length);
    }
}
