using System;
using System.Collections.Generic;
using System.IO;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15: every input the fuzzer found (<c>Tests/Reliability/FuzzRegressions/TARGET/</c>) runs
/// through its fuzz target — the parser as the program calls it — in the normal test run, not only
/// as a seed of the next campaign. Only the parser's own refusal may come out; the targets catch
/// exactly that, so anything escaping them fails here.
/// </summary>
[TestClass]
public class FuzzRegressionReplayTests
{
    [TestMethod]
    public void EverySavedFuzzInputGoesThroughItsParserWithOnlyTheParseErrorEscaping()
    {
        string regressions = Path.Combine(RepositoryPaths.Root, "Tests", "Reliability", "FuzzRegressions");
        List<string> failures = new();
        int replayed = 0;
        foreach (string directory in Directory.GetDirectories(regressions))
        {
            string target = Path.GetFileName(directory);
            Assert.IsTrue(global::Fuzz.FuzzTargets.All.TryGetValue(target, out Action<byte[]>? run), "FuzzRegressions/" + target + " names no fuzz target (tools/Fuzz/FuzzTargets.cs)");
            foreach (string input in Directory.GetFiles(directory))
            {
                replayed++;
                try
                {
                    run(File.ReadAllBytes(input));
                }
                catch (Exception e)
                {
                    failures.Add(target + "/" + Path.GetFileName(input) + ": " + e.GetType().Name + ": " + e.Message);
                }
            }
        }

        Assert.IsTrue(replayed > 0, "no saved inputs under " + regressions);
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
    }
}
