using System;
using System.IO;

namespace Controller.Tftp;

/// <summary>
/// Maps a requested file name onto the served root and refuses anything that could leave it:
/// absolute paths, <c>..</c> segments, backslashes, and symlinks whose target lies outside.
/// The check is repeated on the opened handle's real path, so a link swapped in between the
/// check and the open is caught too.
/// </summary>
public sealed class TftpRootDirectory
{
    private readonly string _root;

    public TftpRootDirectory(string root)
    {
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException("TFTP root " + full + " does not exist");
        }

        _root = RealPath(full).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
    }

    public string Root => _root;

    /// <summary>Opens the file for reading, or returns null with the reason a client is told.</summary>
    public FileStream? Open(string requested, out string refusal)
    {
        refusal = string.Empty;
        if (requested.Length == 0 || requested.StartsWith('/') || requested.Contains('\\') || requested.Contains('\0'))
        {
            refusal = "access violation: only relative names inside the TFTP root are served";
            return null;
        }

        foreach (string segment in requested.Split('/'))
        {
            if (segment == "..")
            {
                refusal = "access violation: '..' is not allowed";
                return null;
            }
        }

        string candidate = Path.GetFullPath(Path.Combine(_root, requested));
        if (!candidate.StartsWith(_root, StringComparison.Ordinal))
        {
            refusal = "access violation: outside the TFTP root";
            return null;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        }
        catch (FileNotFoundException)
        {
            refusal = "file not found";
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            refusal = "file not found";
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            refusal = "access violation: not readable";
            return null;
        }
        catch (IOException e)
        {
            refusal = "cannot open: " + e.Message;
            return null;
        }

        string real = OpenedPath(stream, candidate);
        if (!real.StartsWith(_root, StringComparison.Ordinal) || Directory.Exists(real))
        {
            stream.Dispose();
            refusal = "access violation: link out of the TFTP root";
            return null;
        }

        return stream;
    }

    // Linux names the file an open descriptor really refers to in /proc/self/fd; elsewhere resolve the path.
    private static string OpenedPath(FileStream stream, string candidate)
    {
        string descriptor = "/proc/self/fd/" + stream.SafeFileHandle.DangerousGetHandle().ToInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (File.Exists(descriptor))
        {
            FileSystemInfo? target = File.ResolveLinkTarget(descriptor, returnFinalTarget: false);
            if (target != null)
            {
                return target.FullName;
            }
        }

        return RealPath(candidate);
    }

    // Resolves every symlink along the path (like realpath(3)).
    private static string RealPath(string path)
    {
        string[] parts = path.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = Path.DirectorySeparatorChar.ToString();
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
            }

            if (info.Exists && info.LinkTarget != null)
            {
                FileSystemInfo? target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target == null ? next : RealPath(target.FullName);
            }

            current = next;
        }

        return current;
    }
}
