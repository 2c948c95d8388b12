using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>SIPp 3.6 as a scripted registrar: one UAS scenario from tools/sipp/ on a UDP port of loopback, one call (-m 1).</summary>
public sealed class SippUas : IDisposable
{
    private const string Sipp = "/usr/bin/sipp";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public SippUas(string directory, string scenario, int port)
    {
        Peer.Require(Sipp);
        Port = port;
        ProcessStartInfo start = new(Sipp) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string file = Path.Combine(RepositoryPaths.Root, "tools", "sipp", scenario);
        foreach (string arg in new[] { "-sf", file, "-i", "127.0.0.1", "-p", port.ToString(), "-t", "u1", "-m", "1", "-nostdin", "-timeout", "30", "-trace_err" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Listening once the port cannot be bound any more.
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (CanBind(port))
        {
            Assert.IsFalse(_process.HasExited || DateTime.UtcNow > until, "sipp did not start listening:\n" + Output);
            Thread.Sleep(20);
        }
    }

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits for SIPp to finish its one call; its exit code (0: the scenario ran to its end with every check passed).</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.IsTrue(_process.WaitForExit(timeout), "sipp did not finish its scenario within " + timeout + ":\n" + Output);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static bool CanBind(int port)
    {
        try
        {
            using Socket probe = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Add(string? line)
    {
        if (line != null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
