using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Threading;

namespace Controller.SipDemo;

/// <summary>
/// One Kamailio 5.6 process as a SIP cluster element of the lab on loopback: the shipped
/// tools/kamailio/kamailio.cfg and db_text users (embedded in this program, written to its run
/// directory), UDP and TCP on one free loopback port, its own ctl socket for `kamcmd`. With an
/// other element it is started WITH_REDIRECT: a REGISTER whose number matches the homed-elsewhere
/// pattern gets 302 naming that element. A child of this process: killed, with its workers, on
/// dispose (which the demo reaches on exit, Ctrl-C and SIGTERM). The interop tests start theirs
/// through it too (<see cref="KamailioElementOptions"/>: another address or network namespace, a
/// TLS listener, more users), so the lab and the tests run Kamailio one way.
/// </summary>
public sealed class KamailioElement : IDisposable
{
    public const string Executable = "/usr/sbin/kamailio";
    public const string Kamcmd = "/usr/sbin/kamcmd";

    /// <summary>The digest realm of the shipped configuration's users.</summary>
    public const string Realm = "phonefirmware.test";
    private const string IpCommand = "/usr/sbin/ip";
    private const int KeptLines = 200;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly string _socket;

    /// <param name="name">How the lab's lines name it ("A", "B").</param>
    /// <param name="runDirectory">Its own directory (created): configuration, users, ctl socket, runtime files.</param>
    /// <param name="otherHomed">A regex over the To user of numbers homed on <paramref name="other"/>; null for a plain registrar.</param>
    /// <param name="other">The SIP URI of the element those numbers are homed on.</param>
    public KamailioElement(string name, string runDirectory, int port, string? otherHomed, string? other)
        : this(name, runDirectory, port, new KamailioElementOptions { OtherHomed = otherHomed, Other = other })
    {
    }

    /// <param name="name">How messages name it.</param>
    /// <param name="runDirectory">Its own directory (created): configuration, users, ctl socket, runtime files.</param>
    public KamailioElement(string name, string runDirectory, int port, KamailioElementOptions options)
    {
        RequireInstalled();
        Name = name;
        Port = port;
        ListenAddress = options.Address;
        RunDirectory = runDirectory;
        Directory.CreateDirectory(runDirectory);
        string db = Path.Combine(runDirectory, "db");
        Directory.CreateDirectory(db);
        string config = Path.Combine(runDirectory, "kamailio.cfg");
        WriteResource("kamailio/kamailio.cfg", config);
        WriteResource("kamailio/db/version", Path.Combine(db, "version"));
        WriteResource("kamailio/db/subscriber", Path.Combine(db, "subscriber"));
        AddSubscribers(Path.Combine(db, "subscriber"), options.Subscribers);
        _socket = Path.Combine(runDirectory, "ctl.sock");

        ProcessStartInfo start = new(options.Namespace == null ? Executable : IpCommand)
        {
            WorkingDirectory = runDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        List<string> arguments = new();
        if (options.Namespace != null)
        {
            // ip execs Kamailio in the namespace: the child is Kamailio itself, killed with its workers on dispose.
            arguments.AddRange(new[] { "netns", "exec", options.Namespace, Executable });
        }

        // -DD: foreground, with the UDP and TCP workers forked; -E: log to stderr (kept for errors).
        arguments.AddRange(new[] { "-f", config, "-DD", "-E", "-m", "32", "-M", "4", "-Y", runDirectory, "-l", "udp:" + ListenAddress + ":" + port, "-l", "tcp:" + ListenAddress + ":" + port, "-A", "CTL_SOCKET=\"unix:" + _socket + "\"", "-A", "DB_URL=\"text://" + db + "\"" });
        if (options.OtherHomed != null && options.Other != null)
        {
            arguments.AddRange(new[] { "-A", "WITH_REDIRECT", "-A", "OTHER_HOMED=\"" + options.OtherHomed + "\"", "-A", "OTHER=\"" + options.Other + "\"" });
        }

        if (options.TlsPort != 0)
        {
            string profile = options.TlsProfile ?? throw new SipLabException("kamailio " + name + ": a TLS port needs a TLS profile (tools/kamailio/tls.cfg with its certificates)");
            arguments.AddRange(new[] { "-l", "tls:" + ListenAddress + ":" + options.TlsPort, "-A", "WITH_TLS", "-A", "TLS_CONFIG=\"" + profile + "\"" });
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new SipLabException("cannot start " + Executable);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilServing();
    }

    public string Name { get; }

    /// <summary>Its UDP and TCP port on <see cref="ListenAddress"/>.</summary>
    public int Port { get; }

    /// <summary>The address it listens on (127.0.0.1 in the lab).</summary>
    public string ListenAddress { get; }

    public string RunDirectory { get; }

    public string Address => ListenAddress + ":" + Port;

    /// <summary>The last lines Kamailio wrote (its log), for a failure's message.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join("\n", _log);
            }
        }
    }

    /// <summary>A clear error naming the install script when Kamailio (or kamcmd) is not installed.</summary>
    public static void RequireInstalled()
    {
        RequireInstalled(Executable, Kamcmd);
    }

    /// <summary>As <see cref="RequireInstalled()"/> for these two paths (a test names one that is not there).</summary>
    public static void RequireInstalled(params string[] programs)
    {
        foreach (string program in programs)
        {
            if (!File.Exists(program))
            {
                throw new SipLabException("Kamailio is not installed (no " + program + "): run tools/install-test-deps, which installs Debian's kamailio package");
            }
        }
    }

    /// <summary>A loopback port free for UDP and TCP alike (Kamailio listens on both).</summary>
    public static int FreePort()
    {
        for (int attempt = 0; ; attempt++)
        {
            using Socket udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using Socket tcp = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // taken for TCP: another one
            }
        }
    }

    /// <summary>The bindings in its location table (`kamcmd ul.dump`): "AoR -> Contact" per binding, none when empty.</summary>
    public List<string> Bindings()
    {
        List<string> bindings = new();
        string aor = string.Empty;
        foreach (string raw in LocationTable().Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("AoR:", StringComparison.Ordinal))
            {
                aor = line.Substring(4).Trim();
            }
            else if (line.StartsWith("Address:", StringComparison.Ordinal))
            {
                bindings.Add(aor + " -> " + line.Substring(8).Trim());
            }
        }

        return bindings;
    }

    /// <summary>Its location table as `kamcmd ul.dump` prints it.</summary>
    public string LocationTable()
    {
        return RunKamcmd("ul.dump");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    // db_text rows "id:username:domain:password", numbered after the shipped users.
    private static void AddSubscribers(string table, string[] subscribers)
    {
        int id = 100;
        StringBuilder rows = new();
        foreach (string user in subscribers)
        {
            string[] parts = user.Split(':');
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new SipLabException("a subscriber is \"number:password\", not \"" + user + "\"");
            }

            rows.Append(id++).Append(':').Append(parts[0]).Append(':').Append(Realm).Append(':').Append(parts[1]).Append('\n');
        }

        File.AppendAllText(table, rows.ToString());
    }

    private static void WriteResource(string name, string path)
    {
        using Stream resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new SipLabException("missing embedded resource " + name);
        using FileStream file = File.Create(path);
        resource.CopyTo(file);
    }

    private void Keep(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > KeptLines)
            {
                _log.Dequeue();
            }
        }
    }

    // Up when its ctl socket answers; a Kamailio that exits or stays silent is an error with its log.
    private void WaitUntilServing()
    {
        DateTime until = DateTime.UtcNow + StartLimit;
        while (!File.Exists(_socket) || !TryKamcmd("core.uptime", out _))
        {
            if (_process.HasExited || DateTime.UtcNow > until)
            {
                string why = _process.HasExited ? "exited with " + _process.ExitCode : "did not answer on its ctl socket within " + StartLimit.TotalSeconds + " s";
                Dispose();
                throw new SipLabException("kamailio " + Name + " (" + Address + ") " + why + ":\n" + Log);
            }

            Thread.Sleep(50);
        }
    }

    private string RunKamcmd(string command)
    {
        if (!TryKamcmd(command, out string output))
        {
            throw new SipLabException("kamcmd " + command + " at kamailio " + Name + " failed: " + output);
        }

        return output;
    }

    private bool TryKamcmd(string command, out string output)
    {
        ProcessStartInfo start = new(Kamcmd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add("unix:" + _socket);
        start.ArgumentList.Add(command);
        using Process kamcmd = Process.Start(start) ?? throw new SipLabException("cannot start " + Kamcmd);
        System.Threading.Tasks.Task<string> error = kamcmd.StandardError.ReadToEndAsync();
        output = kamcmd.StandardOutput.ReadToEnd();
        if (!kamcmd.WaitForExit(10_000))
        {
            kamcmd.Kill();
            output = "no answer within 10 s";
            return false;
        }

        output += error.Result;
        return kamcmd.ExitCode == 0;
    }
}
