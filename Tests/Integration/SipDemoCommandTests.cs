using System;
using System.Diagnostics;
using System.IO;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// `controller demo --sip`, the README's SIP command: two Kamailio elements and one emulated SIP
/// set on loopback; the set is redirected from A to B, registers there, refreshes and unregisters,
/// and Kamailio is gone when the demo ends, by itself or on SIGTERM.
/// </summary>
[TestClass]
public class SipDemoCommandTests
{
    [TestMethod]
    public void TheSipDemoShowsRedirectedRegisteredRefreshedAndUnregisteredInOrder()
    {
        using TestDirectory directory = new("sip-demo-command");
        Stopwatch watch = Stopwatch.StartNew();
        (int exit, string output) = ProcessRunner.Run("dotnet", BuiltPrograms.Controller + " demo --sip --dir " + directory.Path, directory.Path, TimeSpan.FromSeconds(120));
        Assert.AreEqual(0, exit, output);
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(60), "took " + watch.Elapsed);

        // Each step is looked for after the one before it.
        int at = 0;
        at = After(output, at, "sip-demo: redirected: kamailio A answered 302; the set follows the Contact to kamailio B");
        at = After(output, at, "sip-demo: registered: 2001 at kamailio B");
        at = After(output, at, "sip-demo: kamailio B location table (kamcmd ul.dump): 2001 -> sip:2001@127.0.0.50:");
        at = After(output, at, "sip-demo: refreshed: kamailio B");
        at = After(output, at, "sip-demo: unregistered: kamailio B");
        StringAssert.Contains(output.Substring(at, output.IndexOf('\n', at) - at), "answered 200");
        at = After(output, at, "sip-demo: kamailio B location table (kamcmd ul.dump): empty");
        After(output, at, "sip-demo: done:");
        Assert.AreEqual(0, KamailioProcessesIn(directory.Path), "kamailio still runs after the demo:\n" + output);
    }

    [TestMethod]
    public void SigtermStopsTheSipDemoAndItsKamailioElements()
    {
        using TestDirectory directory = new("sip-demo-sigterm");
        using BackgroundProcess demo = new("dotnet", BuiltPrograms.Controller + " demo --sip --dir " + directory.Path, directory.Path);
        Assert.IsTrue(demo.WaitForLine("sip-demo: registered:", TimeSpan.FromSeconds(60)), demo.Output);
        Assert.AreEqual(2, KamailioProcessesIn(directory.Path), "two kamailio elements while the demo runs:\n" + demo.Output);

        demo.Signal("TERM");
        Assert.IsTrue(demo.WaitForExit(TimeSpan.FromSeconds(15)), demo.Output);
        Assert.AreEqual(0, KamailioProcessesIn(directory.Path), "kamailio outlived the demo:\n" + demo.Output);
    }

    private static int After(string output, int from, string text)
    {
        int found = output.IndexOf(text, from, StringComparison.Ordinal);
        Assert.IsTrue(found >= 0, "no '" + text + "' after position " + from + ":\n" + output);
        return found + text.Length;
    }

    // Kamailio main processes started with a configuration under this directory (their workers share the command line).
    private static int KamailioProcessesIn(string directory)
    {
        int count = 0;
        foreach (string proc in Directory.GetDirectories("/proc"))
        {
            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            string status = File.Exists(Path.Combine(proc, "status")) ? SafeRead(Path.Combine(proc, "status")) : string.Empty;
            if (cmdline.StartsWith("/usr/sbin/kamailio ", StringComparison.Ordinal) && cmdline.Contains(directory, StringComparison.Ordinal) && ParentIsNotKamailio(status))
            {
                count++;
            }
        }

        return count;
    }

    private static bool ParentIsNotKamailio(string status)
    {
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("PPid:", StringComparison.Ordinal))
            {
                string parent = SafeRead("/proc/" + line.Substring(5).Trim() + "/cmdline");
                return !parent.StartsWith("/usr/sbin/kamailio", StringComparison.Ordinal);
            }
        }

        return true;
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
