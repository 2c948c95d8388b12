using System;
using System.Collections.Generic;
using System.IO;
using HilRunner;
using PhoneFirmware.Core.TestPort;
using Tests.Support;

namespace Tests.TestPort;

/// <summary>The HIL runner's scenario files (tools/HilRunner/README.md): the shipped one parses; mistakes name their line.</summary>
[TestClass]
public class ScenarioParserTests
{
    [TestMethod]
    public void TheFirstRegistrationScenarioParsesAsTheIssueDescribesIt()
    {
        string path = Path.Combine(RepositoryPaths.Root, "tools", "HilRunner", "scenarios", "first-registration.txt");
        List<ScenarioStep> steps = ScenarioParser.Parse(File.ReadAllText(path), path);
        Assert.AreEqual(ScenarioStepKind.Restart, steps[0].Kind);
        Assert.IsTrue(steps[0].HoldStar);
        ScenarioStep prompt = steps.Find(s => s.Kind == ScenarioStepKind.Expect && s.Argument == "pin.prompt")!;
        Assert.AreEqual(TimeSpan.FromSeconds(20), prompt.Timeout);
        ScenarioStep type = steps.Find(s => s.Kind == ScenarioStepKind.Type)!;
        Assert.AreEqual("***1000" + Hal.Keys.Confirm, type.Argument);
        ScenarioStep registered = steps[^1];
        Assert.AreEqual("registered", registered.Argument);
        Assert.AreEqual("dn", registered.Fields[0].Key);
        Assert.AreEqual("1000", registered.Fields[0].Value);
    }

    [TestMethod]
    public void StepsTakeDefaultsQuotesAndMilliseconds()
    {
        List<ScenarioStep> steps = ScenarioParser.Parse("# c\n\nrestart\nscreen \"Enter PIN:\" within 500ms\nwait 2s\nexpect display row=1 text=\"DN 1000\"\n", "s.txt");
        Assert.AreEqual(4, steps.Count);
        Assert.IsFalse(steps[0].HoldStar);
        Assert.AreEqual(ScenarioParser.DefaultTimeout, steps[0].Timeout);
        Assert.AreEqual("Enter PIN:", steps[1].Argument);
        Assert.AreEqual(TimeSpan.FromMilliseconds(500), steps[1].Timeout);
        Assert.AreEqual(TimeSpan.FromSeconds(2), steps[2].Timeout);
        Assert.AreEqual("DN 1000", steps[3].Fields[1].Value);
        Assert.AreEqual(6, steps[3].Line);
    }

    [TestMethod]
    public void LongKeySequencesAreSentInLinesThePortAccepts()
    {
        List<string> chunks = ScenarioParser.KeyChunks(new string('1', 70));
        Assert.AreEqual(3, chunks.Count);
        Assert.AreEqual(32, chunks[0].Length);
        Assert.AreEqual(6, chunks[2].Length);

        // 32 Confirm keys would be a 133-character line: the chunk ends where the port's line limit does.
        string confirms = new string(Hal.Keys.Confirm, 40);
        List<string> lines = ScenarioParser.KeyChunks(confirms);
        Assert.AreEqual(confirms, string.Concat(lines));
        foreach (string line in lines)
        {
            Assert.IsTrue(TestPortCodec.FormatCommand(TestPortCommand.KeySequence(line)).Length <= TestPortLimits.MaxCommandLength, line.Length.ToString());
            Assert.AreEqual(line, TestPortCodec.ParseCommand(TestPortCodec.FormatCommand(TestPortCommand.KeySequence(line))).Keys);
        }
    }

    [TestMethod]
    public void MistakesNameTheFileAndLine()
    {
        AssertRefused("restart\nrestrat\n", "s.txt line 2: unknown step 'restrat'");
        AssertRefused("restart hold #\n", "line 1: restart takes nothing or 'hold *'");
        AssertRefused("type 12a#\n", "line 1: type takes 1 to 256 keys");
        AssertRefused("type 1 2\n", "line 1: type takes");
        AssertRefused("type 1000{enter}\n", "keys of 0-9 * # {ok} {bs}");
        AssertRefused("expect\n", "line 1: expect takes an event name");
        AssertRefused("expect registered dn\n", "'dn' is not field=value");
        AssertRefused("expect registered within 20\n", "'20' is not a duration");
        AssertRefused("expect registered within 2h\n", "'2h' is not a duration");
        AssertRefused("expect registered within 7200s\n", "longer than an hour");
        AssertRefused("expect registered within\n", "'within' comes last");
        AssertRefused("screen \"Enter PIN:\n", "a quote is not closed");
        AssertRefused("wait\n", "wait takes a duration");
        AssertRefused("# only a comment\n", "s.txt: no steps");
        AssertRefused("type " + new string('1', 1001) + "\n", "longer than 1000 characters");
    }

    private static void AssertRefused(string text, string expected)
    {
        ScenarioException error = Assert.ThrowsExactly<ScenarioException>(() => ScenarioParser.Parse(text, "s.txt"));
        StringAssert.Contains(error.Message, expected);
    }
}
