using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Controller.Tftp;

/// <summary>
/// Builds the boot manifest the phones verify their files against (docs/tftp.md): one line
/// <c>NAME SIZE SHA256 VERSION</c> per regular file at the top of the TFTP root, the version
/// being the first 12 hex digits of the SHA-256 (content-addressed: it changes exactly when the
/// file does). Served from memory, so the root directory is never written to.
/// </summary>
public static class BootManifestBuilder
{
    public const string Name = "boot.manifest";

    public static byte[] Build(string root)
    {
        StringBuilder text = new();
        text.Append("# name size sha256 version\n");
        string[] files = Directory.GetFiles(root);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (string path in files)
        {
            FileInfo info = new(path);
            if (info.LinkTarget != null || info.Name == Name || info.Name.Contains(' ', StringComparison.Ordinal) || info.Name.Length > 128)
            {
                continue; // links are not served by name here, and names with spaces cannot be listed
            }

            using FileStream stream = info.OpenRead();
            string sha = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
            text.Append(info.Name).Append(' ').Append(info.Length).Append(' ').Append(sha).Append(' ').Append(sha, 0, 12).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
