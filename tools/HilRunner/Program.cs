using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using Hal.Host;

namespace HilRunner;

/// <summary>`hil-runner`: runs a scenario against a phone's serial test port. See <see cref="Usage"/>.</summary>
public static class Program
{
    public const string Usage = """
        hil-runner - runs a scenario against a phone's serial test port (docs/test-port.md)

        usage: hil-runner --port TTY [--baud N] SCENARIO

          --port TTY    the serial line to the phone: a USB-serial adapter wired to the board's
                        test port UART (e.g. /dev/ttyUSB0), or one end of a pty pair whose other
                        end `phone --test-port` serves
          --baud N      line speed (default 115200; 9600 to 921600)
          SCENARIO      the scenario file, one step per line (tools/HilRunner/README.md):
                          restart [hold *]            power-cycle, '*' held through power-up if asked
                          type KEYS                   key presses, e.g. type ***1000{ok} ({ok} Confirm, {bs} Backspace)
                          expect EVENT [f=v ...]      wait for an event (as phone --events json names it)
                          screen "TEXT"               wait until a display line contains TEXT
                          wait T                      let T pass
                        restart, expect and screen take "within T" (default 10s); T is like 20s or 500ms

        Prints a transcript of every line sent and received. Exit codes: 0 every step passed (or
        SIGTERM/SIGINT stopped the run: the transcript ends STOPPED), 1 a step failed (the
        transcript says what it waited for), 2 bad usage or scenario file.
        """;

    public static int Main(string[] args)
    {
        string? port = null;
        string? scenarioPath = null;
        int baud = 115200;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help":
                case "-h":
                    Console.Out.Write(Usage);
                    return 0;
                case "--port":
                    if (i + 1 >= args.Length)
                    {
                        return UsageError("--port needs a tty path (see --help)");
                    }

                    port = args[++i];
                    break;
                case "--baud":
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out baud) || !TtySerialPort.IsSupportedBaudRate(baud))
                    {
                        return UsageError("--baud takes one of 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600");
                    }

                    i++;
                    break;
                default:
                    if (args[i].StartsWith('-') || scenarioPath != null)
                    {
                        return UsageError("unexpected argument '" + args[i] + "' (see --help)");
                    }

                    scenarioPath = args[i];
                    break;
            }
        }

        if (port == null || scenarioPath == null)
        {
            return UsageError("needs --port TTY and a SCENARIO file (see --help)");
        }

        List<ScenarioStep> steps;
        try
        {
            FileInfo file = new(scenarioPath);
            if (file.Exists && file.Length > 1_000_000)
            {
                return UsageError(scenarioPath + ": larger than 1 MB; is it a scenario?");
            }

            steps = ScenarioParser.Parse(File.ReadAllText(scenarioPath), scenarioPath);
        }
        catch (IOException error)
        {
            return UsageError("cannot read the scenario: " + error.Message);
        }
        catch (UnauthorizedAccessException error)
        {
            return UsageError("cannot read the scenario: " + error.Message);
        }
        catch (ScenarioException error)
        {
            return UsageError(error.Message);
        }

        TtySerialPort line;
        try
        {
            line = new TtySerialPort(port, baud);
        }
        catch (IOException error)
        {
            return UsageError("--port " + error.Message);
        }

        using CancellationTokenSource stop = new();
        using ShutdownSignals signals = ShutdownSignals.Install("hil-runner", stop, Console.Error);
        using (line)
        {
            Transcript transcript = new(Console.Out);
            transcript.Note("hil-runner: " + scenarioPath + " (" + steps.Count.ToString(CultureInfo.InvariantCulture) + " steps) on " + port);
            try
            {
                ScenarioRunner runner = new(new TestPortLink(line, transcript), transcript, stop.Token);
                bool passed = runner.Run(steps);
                return passed || runner.Stopped ? 0 : 1; // stopped on request: a clean exit, the transcript says STOPPED
            }
            catch (IOException error)
            {
                transcript.Note("FAIL: the serial line: " + error.Message);
                return 1;
            }
        }
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("hil-runner: " + message);
        return 2;
    }
}
