using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Forms;
using Hal.Host;

namespace Controller;

/// <summary>`controller`: the bench controller. See <see cref="Usage"/>.</summary>
public static class Program
{
    public const string Usage = """
        controller - the bench call server (one cluster element per process)

        usage:
          controller serve --config FILE   run one element: DHCP, TFTP and registration servers over
                                           its SQLite database (see docs/controller-config.md)
          controller demo [--dir DIR]      the bench in one command: two elements on loopback with the
                                           embedded default configurations and emulated phones: PIN
                                           ***1000, then again from flash; DN 2004 redirected to the
                                           second element; a set told to clear its PIN (DN in use)
                                           (DIR keeps the database, boot files and flash; default: a
                                           temporary directory)
          controller demo --sip [--dir DIR]  the phone's SIP mode against Kamailio (tools/install-test-deps
                                           installs it): two Kamailio elements and DHCP/TFTP on loopback,
                                           one emulated SIP set redirected from A to B (302), registered,
                                           refreshed and unregistered (docs/sip.md), about 15 s
          controller demo --web [--dir DIR]  a two-element cluster on loopback with three phones in the
                                           browser: prints the web admin's address and sign-in token
          controller admin --config FILE ...  list/add/delete form entries of a running element
                                           (`controller admin` alone lists the commands)
          controller --help                this text

        Exit codes: 0 done, 1 failed, 2 bad usage or configuration.
        """;

    public static async Task<int> Main(string[] args)
    {
        using CancellationTokenSource stop = new();
        using ShutdownSignals signals = ShutdownSignals.Install("controller", stop, Console.Error);

        try
        {
            if (args.Length == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help")
            {
                Console.Out.Write(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            switch (args[0])
            {
                case "serve":
                    return await Serve(args, stop.Token).ConfigureAwait(false);
                case "admin":
                    return await Admin.AdminCommand.Run(args, Console.Out, Console.Error).ConfigureAwait(false);
                case "demo":
                    string? directory = OptionValue(args, "--dir");
                    if (Array.IndexOf(args, "--sip") > 0)
                    {
                        return await SipDemo.SipDemoCommand.Run(Console.Out, directory, stop.Token).ConfigureAwait(false);
                    }

                    return Array.IndexOf(args, "--web") > 0
                        ? await WebDemo.Run(Console.Out, directory, stop.Token).ConfigureAwait(false)
                        : await Demo.Run(Console.Out, directory, stop.Token).ConfigureAwait(false);
                default:
                    Console.Error.WriteLine("controller: unknown command '" + args[0] + "' (see --help)");
                    return 2;
            }
        }
        catch (ConfigException error)
        {
            Console.Error.WriteLine("controller: " + error.Message);
            return 2;
        }
        catch (FormException error)
        {
            Console.Error.WriteLine("controller: configuration: " + error.Message);
            return 2;
        }
        catch (System.Net.Sockets.SocketException error)
        {
            Console.Error.WriteLine("controller: cannot bind: " + error.Message);
            return 1;
        }
        catch (SipDemo.SipLabException error)
        {
            Console.Error.WriteLine("controller: " + error.Message);
            return 1;
        }
        catch (System.Net.Http.HttpRequestException error)
        {
            Console.Error.WriteLine("controller: " + error.Message);
            return 1;
        }
        catch (IOException error)
        {
            Console.Error.WriteLine("controller: " + error.Message);
            return 1;
        }
    }

    private static async Task<int> Serve(string[] args, CancellationToken cancellation)
    {
        string? configPath = OptionValue(args, "--config");
        if (configPath == null)
        {
            Console.Error.WriteLine("controller: serve needs --config FILE (see --help)");
            return 2;
        }

        ControllerConfig config = ConfigLoader.Load(configPath);
        ControllerElement element = new(config);
        try
        {
            await element.StartAsync().ConfigureAwait(false);
            await ServeUntilStopped(element, config, cancellation).ConfigureAwait(false);
        }
        finally
        {
            // Stop accepting (admin, DHCP, TFTP, registration), flush the last lease batch, remove the endpoint file.
            System.Diagnostics.Stopwatch stopping = System.Diagnostics.Stopwatch.StartNew();
            await element.DisposeAsync().ConfigureAwait(false);
            Console.Out.WriteLine($"controller {element.Name}: stopped in {stopping.ElapsedMilliseconds} ms");
        }

        return 0;
    }

    private static async Task ServeUntilStopped(ControllerElement element, ControllerConfig config, CancellationToken cancellation)
    {
        Console.Out.WriteLine($"controller {element.Name}: DHCP {config.ListenAddress}:{element.DhcpPort}, TFTP {config.ListenAddress}:{element.TftpPort}, registration {config.ListenAddress}:{element.RegistrationPort}{(element.UsesTls ? " (TLS)" : string.Empty)}");
        Console.Out.WriteLine($"controller {element.Name}: option 125 = {element.PhoneConfigString}");
        if (element.AdminAddress != null)
        {
            Console.Out.WriteLine($"controller {element.Name}: admin API {element.AdminAddress} (token in {element.AdminEndpointFile})");
        }

        element.Registration!.TlsHandshakeFailed += (peer, reason) => Console.Out.WriteLine($"controller {element.Name}: TLS handshake with {peer} failed: {reason}");
        element.Registration!.Replied += (mac, reply) => Console.Out.WriteLine($"controller {element.Name}: {mac} <- {reply.Type} {reply.Dn}");
        if (element.Dhcp != null)
        {
            element.Dhcp.Logged += line => Console.Out.WriteLine($"controller {element.Name}: {line}");
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string? OptionValue(string[] args, string name)
    {
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == name)
            {
                if (i + 1 >= args.Length)
                {
                    throw new ConfigException(name + " needs a value");
                }

                return args[i + 1];
            }

            if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i] != "--config" && args[i] != "--dir" && args[i] != "--web" && args[i] != "--sip")
            {
                throw new ConfigException("unknown option '" + args[i] + "' (see --help)");
            }
        }

        return null;
    }
}
