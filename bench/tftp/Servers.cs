using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Controller.Tftp;

namespace TftpBench;

/// <summary>A TFTP server under test, running in its own process on a loopback port.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>tftpd-hpa in the foreground, forking a process per transfer as it does in production.</summary>
    public static ServerProcess StartTftpdHpa(string binary, string root)
    {
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException(binary + " is missing: run `bash tools/install-test-deps` (as root)");
        }

        int port = FreeUdpPort();
        ProcessStartInfo start = new(binary, "--foreground --listen --address 127.0.0.1:" + port + " --user root --secure " + root)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + binary);
        Thread.Sleep(300);
        if (process.HasExited)
        {
            throw new InvalidOperationException("in.tftpd exited: " + process.StandardError.ReadToEnd());
        }

        return new ServerProcess("tftpd-hpa", process, port);
    }

    /// <summary>Our <see cref="TftpServer"/>, hosted by this same program in a child process (<c>serve-ours ROOT</c>).</summary>
    public static ServerProcess StartOurs(string root)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        string arguments = "serve-ours " + root;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments = typeof(ServerProcess).Assembly.Location + " " + arguments;
        }

        ProcessStartInfo start = new(self, arguments)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + self);
        string? line = process.StandardOutput.ReadLine();
        if (line == null || !line.StartsWith("port ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("our server did not start: " + line);
        }

        return new ServerProcess("ours", process, int.Parse(line.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side: serve <paramref name="root"/> until standard input closes.</summary>
    public static int ServeOurs(string root)
    {
        using TftpServer server = new(new TftpServerOptions { RootDirectory = root, BindAddress = IPAddress.Loopback, Port = 0, MaxTransfersPerSource = int.MaxValue }); // every client is 127.0.0.1
        server.Logged += line =>
        {
            if (line.StartsWith("tftp failed", StringComparison.Ordinal) || line.StartsWith("tftp refused", StringComparison.Ordinal))
            {
                Console.Error.WriteLine("ours: " + line);
            }
        };
        server.Start();
        Console.Out.WriteLine("port " + server.Port);
        Console.Out.Flush();
        Console.In.ReadToEnd();
        Console.Error.WriteLine("ours: " + server.CompletedTransfers + " completed, " + server.FailedTransfers + " failed, " + server.RefusedRequests + " refused, " + server.DuplicateRequests + " repeated requests absorbed");
        return 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            if (_process.StartInfo.RedirectStandardInput)
            {
                _process.StandardInput.Close();
                _process.WaitForExit(3000);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }

        _process.Dispose();
    }

    private static int FreeUdpPort()
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
