using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Tests.Support;

namespace Tests.Integration;

/// <summary>The stable interfaces of issue 2, as lab scripts use them: `controller serve --config` and `phone --events json`.</summary>
[TestClass]
public class ProcessesOnLoopbackTests
{
    [TestMethod]
    public void APhoneProcessRegistersWithAControllerProcessThenReRegistersWithoutAPrompt()
    {
        using TestDirectory directory = new("processes");
        using LoopbackElement controller = new(directory, "proc-1", 70_000);

        string phoneArgs = BuiltPrograms.Phone + $" --mac 00:08:5d:aa:bb:01 --flash phone.flash --dhcp-server 127.0.0.1:{controller.DhcpPort} --dhcp-client-port 0 --events json --exit-after registered --timeout 30";
        (int exitCode, string output) = ProcessRunner.Run("dotnet", phoneArgs + " --pin ***1000", directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exitCode, output + "\ncontroller:\n" + controller.Output);
        List<JsonElement> first = JsonEvents.Parse(output);
        JsonElement bound = JsonEvents.Find(first, "dhcp.bound");
        Assert.AreEqual("127.0.0.1:" + controller.RegistrationPort, bound.GetProperty("callServers")[0].GetString());
        Assert.AreEqual("127.0.0.1:" + controller.TftpPort, bound.GetProperty("tftpServers")[0].GetString());
        Assert.AreEqual(70_000, JsonEvents.Find(first, "tftp.done").GetProperty("bytes").GetInt32());
        JsonEvents.Find(first, "pin.prompt");
        Assert.AreEqual("1000", JsonEvents.Find(first, "registered").GetProperty("dn").GetString());

        (exitCode, output) = ProcessRunner.Run("dotnet", phoneArgs, directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exitCode, output);
        List<JsonElement> second = JsonEvents.Parse(output);
        Assert.IsFalse(second.Exists(e => e.GetProperty("event").GetString() == "pin.prompt"), output);
        Assert.IsTrue(JsonEvents.Find(second, "register.sent").GetProperty("pin").GetBoolean());
        Assert.AreEqual("1000", JsonEvents.Find(second, "registered").GetProperty("dn").GetString());
    }

    [TestMethod]
    public void BadCommandLinesGetAClearMessageAndExitCodeTwo()
    {
        (int exitCode, string output) = ProcessRunner.Run("dotnet", BuiltPrograms.Phone + " --mac 00:08:5d", RepositoryPaths.Root, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exitCode);
        StringAssert.Contains(output, "six hex pairs");
        (exitCode, output) = ProcessRunner.Run("dotnet", BuiltPrograms.Phone + " --no-boot-files --boot-file boot.img", RepositoryPaths.Root, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "contradict");
        (exitCode, output) = ProcessRunner.Run("dotnet", BuiltPrograms.Controller + " serve", RepositoryPaths.Root, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exitCode);
        StringAssert.Contains(output, "--config");
    }
}
