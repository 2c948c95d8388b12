using System;
using System.Linq;
using System.Threading.Tasks;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, kill -9: what `controller serve` confirmed before SIGKILL is there after a restart —
/// a form change the REST API answered 201 for, and every MAC↔DN mapping it sent Registered for
/// during a registration storm. Several kill points: a different moment in the load each round.
/// </summary>
[TestClass]
public class KillNineTests
{
    [TestMethod]
    public async Task ConfirmedAdminChangesAndRegistrationsSurviveSigkillAtSeveralPoints()
    {
        using TestDirectory directory = new("reliability-kill9");
        const int PerRound = 500;
        using ServedElement element = new(directory, 3 * PerRound);
        Random random = new(15);
        for (int round = 0; round < 3; round++)
        {
            // Each round its own DNs and MACs, so every Register could be confirmed.
            AdminWriter admin = new(element.EndpointFile, 5000 + (round * 1000), 1000);
            await Task.WhenAny(admin.NextConfirmed.Task, Task.Delay(30_000));
            RegistrationStorm storm = new(element.RegistrationPort, element.Dns.GetRange(round * PerRound, PerRound), 16, 0x60 + round);

            // Kill points: right after an admin answer in the storm, then at random moments into it.
            while (storm.Confirmed.IsEmpty && storm.Attempts < PerRound)
            {
                await Task.Delay(5);
            }

            if (round == 0)
            {
                await Task.WhenAny(admin.NextConfirmed.Task, Task.Delay(20_000));
            }
            else
            {
                await Task.Delay(random.Next(0, 400));
            }

            element.Process.Signal("KILL");
            Assert.IsTrue(element.Process.WaitForExit(TimeSpan.FromSeconds(10)), "SIGKILL did not end it");
            await storm.DisposeAsync();
            await admin.DisposeAsync();
            Assert.IsFalse(admin.Confirmed.IsEmpty, "round " + round + ": no admin change was confirmed before the kill");
            Assert.IsFalse(storm.Confirmed.IsEmpty, "round " + round + ": no registration was confirmed before the kill");

            string[] lost = element.Read(forms => storm.Confirmed.Where(c => forms.MultilineIpSets.FindDnByMac(c.Key) != c.Value).Select(c => c.Key + "->" + c.Value).ToArray());
            Assert.AreEqual(0, lost.Length, "round " + round + ": confirmed mappings lost: " + string.Join(", ", lost));
            string[] lostNumbers = element.Read(forms => admin.Confirmed.Where(n => forms.TelephoneDirectory.Find(n) == null).ToArray());
            Assert.AreEqual(0, lostNumbers.Length, "round " + round + ": confirmed directory entries lost: " + string.Join(", ", lostNumbers));
            Console.WriteLine($"round {round}: killed after {storm.Confirmed.Count} of {storm.Attempts} registrations and {admin.Confirmed.Count} admin changes confirmed; none lost");

            element.Restart(); // the next round starts on the database the kill left
        }
    }
}
