using Protocol.Common;

namespace Tests.Portable.Common;

[TestClass]
public class DatagramQueueTests
{
    [TestMethod]
    public void HandsDatagramsOutInTheOrderTheyWereAddedAcrossGrowthAndWrapAround()
    {
        DatagramQueue queue = new DatagramQueue();
        int added = 0;
        int taken = 0;

        // Interleave adds and takes so the head wraps around the ring before and after it grows.
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 3 + (round * 2); i++)
            {
                queue.Add("d" + added.ToString());
                added++;
            }

            for (int i = 0; i < 2 + round; i++)
            {
                Assert.AreEqual("d" + taken.ToString(), (string)queue.Take()!);
                taken++;
            }

            Assert.AreEqual(added - taken, queue.Count);
        }

        while (queue.Count > 0)
        {
            Assert.AreEqual("d" + taken.ToString(), (string)queue.Take()!);
            taken++;
        }

        Assert.AreEqual(added, taken);
        Assert.IsNull(queue.Take());
    }

    [TestMethod]
    public void ClearEmptiesTheQueueAndItIsUsableAfterwards()
    {
        DatagramQueue queue = new DatagramQueue();
        for (int i = 0; i < 9; i++)
        {
            queue.Add(i);
        }

        queue.Clear();
        Assert.AreEqual(0, queue.Count);
        Assert.IsNull(queue.Take());
        queue.Add("next");
        Assert.AreEqual("next", (string)queue.Take()!);
    }

    [TestMethod]
    public void RefusesNull()
    {
        DatagramQueue queue = new DatagramQueue();
        Tests.Portable.Support.AssertThrows.Any(() => queue.Add(null!));
        Assert.AreEqual(0, queue.Count);
    }
}
