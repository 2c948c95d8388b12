using System;
using System.IO;
using System.Threading;
using Hal.Host;
using PhoneFirmware.Core.Events;

namespace PhoneFirmware.Host;

/// <summary>`phone`: the emulated IP phone. See <see cref="PhoneOptions.Usage"/>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "fleet")
        {
            return Fleet.FleetCommand.Run(args[1..]);
        }

        PhoneOptions options;
        try
        {
            options = PhoneOptions.Parse(args);
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine("phone: " + error.Message);
            return 2;
        }

        if (options.Help)
        {
            Console.Out.Write(PhoneOptions.Usage);
            return 0;
        }

        IPhoneEventSink? output = options.Events == "none" ? null : new EventWriter(Console.Out, options.Events == "json");
        using CancellationTokenSource stop = new();
        using ShutdownSignals signals = ShutdownSignals.Install("phone", stop, Console.Error);

        if (options.TestPort != null)
        {
            return TestPortHost.Run(options, output, stop.Token);
        }

        try
        {
            if (options.Terminal)
            {
                return Terminal.TerminalView.Run(options, stop);
            }

            using EmulatedPhone phone = new(options, output);
            StartKeypadReader(phone, stop.Token);
            TimeSpan? timeout = options.TimeoutSeconds.HasValue ? TimeSpan.FromSeconds(options.TimeoutSeconds.Value) : null;
            bool reached = phone.Run(options.ExitAfter, timeout, stop.Token);
            phone.Shutdown();
            if (options.ExitAfter != null && !reached && !stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("phone: timed out before '" + options.ExitAfter + "'");
                return 3;
            }

            return 0;
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine("phone: " + error.Message);
            return 2;
        }
        catch (IOException error)
        {
            Console.Error.WriteLine("phone: " + error.Message);
            return 1;
        }
        catch (System.Net.Sockets.SocketException error)
        {
            Console.Error.WriteLine("phone: network: " + error.Message);
            return 1;
        }
    }

    // The terminal is the keypad: every 0-9 * # typed (or piped in) is a key press, the end of a
    // line is Confirm and BS/DEL is Backspace (a CR before the LF is not a second Confirm).
    private static void StartKeypadReader(EmulatedPhone phone, CancellationToken token)
    {
        Thread reader = new(() =>
        {
            try
            {
                while (!token.IsCancellationRequested)
                {
                    int c = Console.In.Read();
                    if (c < 0)
                    {
                        return;
                    }

                    if (c != '\r')
                    {
                        phone.Keypad.Press(Terminal.TerminalKeys.ToKeypadKey((char)c));
                    }
                }
            }
            catch (IOException)
            {
                // no terminal: no keypad
            }
        })
        {
            IsBackground = true,
            Name = "keypad",
        };
        reader.Start();
    }
}
