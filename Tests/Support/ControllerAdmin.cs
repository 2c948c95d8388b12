using System;
using System.Threading;

namespace Tests.Support;

/// <summary>`controller admin` against a running element of a test directory, and waiting for what it reports.</summary>
public static class ControllerAdmin
{
    public static (int ExitCode, string Output) Run(TestDirectory directory, string config, string command)
    {
        return ProcessRunner.Run("dotnet", BuiltPrograms.Controller + " admin --config " + config + " " + command, directory.Path, TimeSpan.FromSeconds(30));
    }

    /// <summary>Polls <paramref name="condition"/> for up to 20 s (cluster synchronisation is asynchronous).</summary>
    public static bool WaitFor(Func<bool> condition)
    {
        DateTime end = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < end)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(250);
        }

        return false;
    }
}
