using System;
using System.IO;
using Hal.Esp32;

namespace PhoneFirmware.Device;

/// <summary>Reads the board profile from the internal flash file system (deployed with nanoff, see hardware/README.md).</summary>
public static class BoardProfileFile
{
    public const string DefaultPath = "I:\\board.conf";

    public static BoardProfile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new IOException("no board profile at " + path + " (hardware/README.md: deploy one with nanoff --filedeployment)");
        }

        byte[] bytes;
        using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read))
        {
            bytes = new byte[(int)file.Length];
            int done = 0;
            while (done < bytes.Length)
            {
                int read = file.Read(bytes, done, bytes.Length - done);
                if (read <= 0)
                {
                    break;
                }

                done += read;
            }
        }

        // The profile is ASCII; decoded by hand because the device build avoids System.Text.
        char[] chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] > 0x7E)
            {
                throw new ArgumentException("board profile: only ASCII text is allowed");
            }

            chars[i] = (char)bytes[i];
        }

        return BoardProfile.Parse(new string(chars));
    }
}
