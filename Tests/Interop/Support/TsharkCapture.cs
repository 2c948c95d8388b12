using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Tests.Support;

namespace Tests.Interop.Support;

/// <summary>
/// tshark capturing one TCP port on loopback into a file; killed on dispose if still running.
/// "Capturing on" comes out a little before packets are really captured, so the capture also
/// takes UDP datagrams to a probe port of ours and prints its packets (-P): it counts as started
/// once a probe shows up, and everything sent before a probe is in the file once that probe is.
/// </summary>
public sealed class TsharkCapture : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private readonly Socket _probeReceiver = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _probeSender = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _probesSeen;

    public TsharkCapture(string tshark, int tcpPort, string file)
        : this(tshark, "tcp port " + tcpPort, file)
    {
    }

    /// <summary>A capture of what <paramref name="filter"/> (a capture filter) selects on lo.</summary>
    public TsharkCapture(string tshark, string filter, string file)
    {
        _probeReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int probePort = ((IPEndPoint)_probeReceiver.LocalEndPoint!).Port;
        ProcessStartInfo start = new(tshark) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-i", "lo", "-f", "(" + filter + ") or udp port " + probePort, "-w", file, "-P", "-l" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + tshark);
        _process.OutputDataReceived += (_, e) => Add(e.Data, probe: e.Data != null && e.Data.Contains(" UDP ", StringComparison.Ordinal));
        _process.ErrorDataReceived += (_, e) => Add(e.Data, probe: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            DateTime until = DateTime.UtcNow + StartTimeout;
            while (!Output.Contains("Capturing on", StringComparison.Ordinal))
            {
                Assert.IsFalse(_process.HasExited || DateTime.UtcNow > until, "tshark did not start capturing on lo within " + StartTimeout + ":\n" + Output);
                Thread.Sleep(20);
            }

            Sync();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

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

    /// <summary>Waits until everything sent so far is in the file, then stops tshark with SIGINT so it finishes the file.</summary>
    public void Stop()
    {
        Sync();
        (int exitCode, string output) = ProcessRunner.Run("kill", "-INT " + _process.Id, Path.GetTempPath(), TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, exitCode, "kill -INT tshark: " + output);
        Assert.IsTrue(_process.WaitForExit(StopTimeout), "tshark did not stop on SIGINT within " + StopTimeout + ":\n" + Output);
        _process.WaitForExit();
        StringAssert.Contains(Output, " captured", "tshark did not finish its capture:\n" + Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        _probeReceiver.Dispose();
        _probeSender.Dispose();
    }

    /// <summary>Sends probes until tshark prints one more than it had: the capture has caught up with this moment.</summary>
    private void Sync()
    {
        int seen = Volatile.Read(ref _probesSeen);
        DateTime until = DateTime.UtcNow + StartTimeout;
        DateTime nextProbe = DateTime.MinValue;
        while (Volatile.Read(ref _probesSeen) <= seen)
        {
            Assert.IsFalse(_process.HasExited || DateTime.UtcNow > until, "tshark did not capture a probe datagram within " + StartTimeout + ":\n" + Output);
            if (DateTime.UtcNow >= nextProbe)
            {
                _probeSender.SendTo(new byte[] { 0x70 }, _probeReceiver.LocalEndPoint!);
                nextProbe = DateTime.UtcNow.AddMilliseconds(100);
            }

            Thread.Sleep(10);
        }
    }

    private void Add(string? line, bool probe)
    {
        if (line != null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (probe)
            {
                Interlocked.Increment(ref _probesSeen);
            }
        }
    }
}
