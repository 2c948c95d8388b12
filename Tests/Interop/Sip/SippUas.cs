using System;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// SIPp 3.6 as a scripted registrar: one UAS scenario from tools/sipp/, one call (-m 1), on
/// ADDRESS:PORT over UDP (-t u1) or TCP (-t t1), in a namespace pair's server namespace. Every
/// message it receives and sends goes to its message trace (-trace_msg), its scenario errors to
/// its error trace; it exits 0 when the scenario ran to its end with every check passed.
/// </summary>
public sealed class SippUas : IDisposable
{
    private const string Sipp = "/usr/bin/sipp";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly BackgroundProcess _process;
    private readonly string _messages;
    private readonly string _errors;

    /// <param name="transport">udp or tcp.</param>
    /// <param name="timeoutSeconds">SIPp's global timeout: it gives up (exit code ≠ 0) after this long.</param>
    public SippUas(NetworkNamespacePair pair, string directory, string scenario, string address, int port, string transport, int timeoutSeconds)
    {
        Peer.Require(Sipp);
        string name = Path.GetFileNameWithoutExtension(scenario) + "-" + transport;
        _messages = Path.Combine(directory, name + ".messages.log");
        _errors = Path.Combine(directory, name + ".errors.log");
        string file = Path.Combine(RepositoryPaths.Root, "tools", "sipp", scenario);
        string arguments = "-sf " + file + " -i " + address + " -p " + port + " -t " + (transport == "tcp" ? "t1" : "u1")
            + " -m 1 -nostdin -timeout " + timeoutSeconds + " -trace_msg -message_file " + _messages + " -trace_err -error_file " + _errors;
        _process = pair.Start(pair.ServerNamespace, Sipp, arguments, directory);

        // Listening once the namespace shows its socket on the port.
        string socket = transport == "tcp" ? "-Hltn" : "-Hlun";
        DateTime until = DateTime.UtcNow + StartTimeout;
        while (pair.Run(pair.ServerNamespace, "/usr/bin/ss", socket + " sport = :" + port, directory, StartTimeout).Output.Trim().Length == 0)
        {
            Assert.IsFalse(_process.HasExited || DateTime.UtcNow > until, "sipp did not start listening on " + address + ":" + port + ":\n" + _process.Output);
            Thread.Sleep(50);
        }
    }

    /// <summary>The message trace: each message SIPp received or sent, in order.</summary>
    public string Messages => File.Exists(_messages) ? File.ReadAllText(_messages) : string.Empty;

    /// <summary>How many SIP messages SIPp received and sent (its message trace).</summary>
    public int MessageCount => Regex.Matches(Messages, "^(UDP|TCP) message (received|sent)", RegexOptions.Multiline).Count;

    /// <summary>Its screen (the statistics) and its error trace, for assertion messages.</summary>
    public string Output => _process.Output + "\nerrors:\n" + (File.Exists(_errors) ? File.ReadAllText(_errors) : string.Empty);

    /// <summary>Waits for SIPp to finish its one call; its exit code (0: the scenario ran to its end with every check passed).</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.IsTrue(_process.WaitForExit(timeout), "sipp did not finish its scenario within " + timeout + ":\n" + Output);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        _process.Dispose();
    }
}
