using System.Collections;
using Protocol.Common;

namespace Protocol.Tftp;

/// <summary>The read request a <see cref="TftpReadClient"/> sends, and how it reads the sizes an OACK grants.</summary>
public static class TftpReadRequest
{
    /// <summary>An octet-mode RRQ for <paramref name="fileName"/>, with the options that differ from RFC 1350's defaults when <paramref name="withOptions"/>.</summary>
    public static byte[] Build(string fileName, TftpReadOptions options, bool withOptions)
    {
        ArrayList names = new ArrayList();
        ArrayList values = new ArrayList();
        if (withOptions)
        {
            if (options.BlockSize != TftpOptionNames.DefaultBlockSize)
            {
                names.Add(TftpOptionNames.BlockSize);
                values.Add(options.BlockSize.ToString());
            }

            if (options.RequestTransferSize)
            {
                names.Add(TftpOptionNames.TransferSize);
                values.Add("0");
            }

            if (options.WindowSize != 1)
            {
                names.Add(TftpOptionNames.WindowSize);
                values.Add(options.WindowSize.ToString());
            }
        }

        return TftpPacketWriter.Request(TftpOpcode.ReadRequest, fileName, "octet", ToStrings(names), ToStrings(values));
    }

    /// <summary>A decimal size of at most 18 digits, or -1 when <paramref name="text"/> is not one.</summary>
    public static long ParseSize(string text)
    {
        if (text.Length == 0 || text.Length > 18)
        {
            return -1;
        }

        long value = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (!Ascii.IsDigit(text[i]))
            {
                return -1;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return value;
    }

    private static string[] ToStrings(ArrayList list)
    {
        string[] result = new string[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            result[i] = (string)list[i]!;
        }

        return result;
    }
}
