using System;
using System.Threading;
using Tests.Support;

namespace Tests.Interop.Support;

/// <summary>
/// atftpd 0.8 (Debian package <c>atftpd</c>) in the foreground (<c>--daemon --no-fork</c>),
/// serving one directory on one address and port, on loopback or inside a <see cref="LossyLink"/>'s
/// namespace; killed on dispose. The package conflicts with tftpd-hpa, which the tests also need,
/// so <c>tools/install-test-deps</c> unpacks it under <c>/opt/atftpd</c> instead of installing it.
/// Without options, every option atftpd knows is turned off, so it answers an RRQ with options
/// by plain RFC 1350 DATA. It traces every packet (<c>sent N. DATA &lt;block: B, size S&gt;</c>)
/// so a test can see which block size was really used.
/// </summary>
public sealed class Atftpd : IDisposable
{
    public const string Program = "/opt/atftpd/usr/sbin/atftpd";
    private const string TurnedOff = " --no-blksize --no-tsize --no-timeout --no-windowsize --no-multicast";
    private readonly BackgroundProcess _process;

    public Atftpd(string root, string address, int port, bool options, LossyLink? link = null)
    {
        string arguments = "--daemon --no-fork --logfile - --verbose=7 --trace --user root --group root --bind-address " + address + " --port " + port + (options ? string.Empty : TurnedOff) + " " + root;
        string program = Peer.Require(Program);
        _process = link == null ? new BackgroundProcess(program, arguments, root) : link.StartInside(program, arguments, root);

        // Ready once the port shows in ss (atftpd logs "started" before it binds).
        string listening = address + ":" + port;
        string ss = Peer.Require("/usr/bin/ss");
        for (int i = 0; i < 50 && !_process.HasExited; i++)
        {
            string sockets = link == null ? ProcessRunner.Run(ss, "-uln", root, TimeSpan.FromSeconds(5)).Output : link.RunInside(ss, "-uln", root, TimeSpan.FromSeconds(5)).Output;
            if (sockets.Contains(listening, StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(100);
        }

        string output = _process.Output;
        _process.Dispose();
        Assert.Fail("atftpd did not start listening on " + listening + ": " + output);
    }

    /// <summary>What atftpd logged so far (for assertion messages).</summary>
    public string Output => _process.Output;

    /// <summary>A cursor at the end of atftpd's log so far: take it before a transfer, wait on it for the transfer's lines.</summary>
    public OutputCursor Here()
    {
        return _process.Here();
    }

    public void Dispose()
    {
        _process.Dispose();
    }
}
