using System.IO;

namespace Tests.Interop.Support;

/// <summary>Real peers are required, never skipped: a missing one fails with how to install it.</summary>
public static class Peer
{
    public static string Require(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail(path + " is missing: run `bash tools/install-test-deps` (as root) to install the interop peers");
        }

        return path;
    }
}
