using System;
using System.IO;
using System.Text.RegularExpressions;

namespace Tests.Support;

/// <summary>
/// Two pseudo-terminals joined back to back by socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`):
/// what is written to one end is read from the other, as over a null-modem cable. socat is killed on dispose.
/// </summary>
public sealed partial class PtyPair : IDisposable
{
    private readonly BackgroundProcess _socat;

    public PtyPair()
    {
        Assert.IsTrue(File.Exists("/usr/bin/socat"), "socat is missing: run tools/install-test-deps (as root)");
        _socat = new BackgroundProcess("socat", "-d -d pty,raw,echo=0 pty,raw,echo=0", Path.GetTempPath());
        Assert.IsTrue(_socat.WaitForLine("starting data transfer loop", TimeSpan.FromSeconds(10)), "socat did not start:\n" + _socat.Output);
        MatchCollection ptys = PtyLine().Matches(_socat.Output);
        Assert.AreEqual(2, ptys.Count, "socat did not name two ptys:\n" + _socat.Output);
        A = ptys[0].Groups[1].Value;
        B = ptys[1].Groups[1].Value;
    }

    /// <summary>One end (the phone's, in the tests).</summary>
    public string A { get; }

    /// <summary>The other end (the test host's).</summary>
    public string B { get; }

    public string Log => _socat.Output;

    public void Dispose()
    {
        _socat.Dispose();
    }

    [GeneratedRegex(@"PTY is (/dev/pts/\d+)")]
    private static partial Regex PtyLine();
}
