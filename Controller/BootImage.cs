using System.IO;
using System.Security.Cryptography;

namespace Controller;

/// <summary>A stand-in boot image for the bench: deterministic bytes, so its SHA-256 is stable.</summary>
public static class BootImage
{
    public static void WriteIfMissing(string path, int size)
    {
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] content = new byte[size];
        byte[] seed = SHA256.HashData("PhoneFirmware bench boot image"u8);
        for (int i = 0; i < size; i++)
        {
            content[i] = (byte)(seed[i % seed.Length] ^ (i * 31));
        }

        File.WriteAllBytes(path, content);
    }
}
