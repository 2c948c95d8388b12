using System;
using System.Net;
using System.Net.Sockets;
using Controller.Dhcp;

namespace Tests.Controller;

/// <summary>
/// <see cref="DeferredDiscoverQueue"/>, where the DHCP host keeps the DISCOVERs it has read but
/// not answered: oldest first across growth and wrap-around, each datagram and sender copied (the
/// host reuses its receive buffer and address), bounded, and shrunk back after a storm.
/// </summary>
[TestClass]
public sealed class DhcpServerHostDeferredQueueTests
{
    [TestMethod]
    public void DiscoversComeOutOldestFirstThroughGrowthAndWrapAround()
    {
        DeferredDiscoverQueue queue = new(1000);
        byte[] buffer = new byte[300];
        SocketAddress source = new(AddressFamily.InterNetwork);
        int next = 0;
        int expected = 0;

        // Fill part-way, take some (the ring's start moves), then grow past the kept slots.
        for (; next < 40; next++)
        {
            Add(queue, buffer, source, next);
        }

        for (; expected < 30; expected++)
        {
            AssertOldest(queue, expected);
        }

        for (; next < 240; next++)
        {
            Add(queue, buffer, source, next);
        }

        Assert.AreEqual(210, queue.Count);
        Assert.IsTrue(queue.Slots >= 210, "slots " + queue.Slots);
        for (; expected < 240; expected++)
        {
            AssertOldest(queue, expected);
        }

        Assert.AreEqual(0, queue.Count);
    }

    [TestMethod]
    public void ADatagramAndItsSenderAreCopiedNotShared()
    {
        DeferredDiscoverQueue queue = new(4);
        byte[] buffer = new byte[300];
        SocketAddress source = new(AddressFamily.InterNetwork);
        Add(queue, buffer, source, 1);

        // The host's next receive overwrites its buffer and address.
        Fill(buffer, source, 2);
        Assert.AreEqual(1, queue.OldestData[0]);
        Assert.AreEqual(1001, Port(queue.OldestSource));
        Assert.AreEqual(IPAddress.Parse("10.9.0.1"), ((IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(queue.OldestSource)).Address);
    }

    [TestMethod]
    public void ALongerDatagramGrowsItsSlotAndKeepsEveryByte()
    {
        DeferredDiscoverQueue queue = new(4);
        SocketAddress source = new(AddressFamily.InterNetwork);
        byte[] shortOne = new byte[300];
        Add(queue, shortOne, source, 1);
        queue.RemoveOldest();

        // The ring has 4 slots here: the fifth datagram reuses slot 0, which is too small for it.
        for (int n = 2; n <= 4; n++)
        {
            Add(queue, shortOne, source, n);
        }

        byte[] longOne = new byte[1500];
        for (int i = 0; i < longOne.Length; i++)
        {
            longOne[i] = (byte)(i * 7);
        }

        queue.Add(longOne, longOne.Length, source);
        for (int n = 2; n <= 4; n++)
        {
            queue.RemoveOldest();
        }

        Assert.AreEqual(1500, queue.OldestLength);
        for (int i = 0; i < longOne.Length; i++)
        {
            Assert.AreEqual(longOne[i], queue.OldestData[i], "byte " + i);
        }
    }

    [TestMethod]
    public void AFullQueueRefusesMoreAndAnEmptyOneHasNothingToRemove()
    {
        DeferredDiscoverQueue queue = new(3);
        byte[] buffer = new byte[300];
        SocketAddress source = new(AddressFamily.InterNetwork);
        Assert.ThrowsExactly<InvalidOperationException>(() => queue.RemoveOldest());
        for (int n = 0; n < 3; n++)
        {
            Assert.IsFalse(queue.IsFull);
            Add(queue, buffer, source, n);
        }

        Assert.IsTrue(queue.IsFull);
        Assert.ThrowsExactly<InvalidOperationException>(() => Add(queue, buffer, source, 3));
        Assert.AreEqual(0, queue.OldestData[0], "a refused datagram changed what is held");
        Assert.ThrowsExactly<ArgumentException>(() => new DeferredDiscoverQueue(0));
    }

    [TestMethod]
    public void ShrinkGivesBackTheStormsSlotsButKeepsWhatIsHeld()
    {
        DeferredDiscoverQueue queue = new(10_000);
        byte[] buffer = new byte[300];
        SocketAddress source = new(AddressFamily.InterNetwork);
        for (int n = 0; n < 500; n++)
        {
            Add(queue, buffer, source, n);
        }

        for (int n = 0; n < 400; n++)
        {
            queue.RemoveOldest();
        }

        queue.Shrink();
        Assert.AreEqual(100, queue.Slots, "shrunk to what is held");
        for (int n = 400; n < 450; n++)
        {
            AssertOldest(queue, n);
        }

        queue.Shrink();
        Assert.AreEqual(DeferredDiscoverQueue.KeptSlots, queue.Slots, "never below the kept slots");
        for (int n = 450; n < 500; n++)
        {
            AssertOldest(queue, n);
        }
    }

    private static void Add(DeferredDiscoverQueue queue, byte[] buffer, SocketAddress source, int n)
    {
        Fill(buffer, source, n);
        queue.Add(buffer, buffer.Length, source);
    }

    // Marks the datagram (first byte, last byte) and its sender's port with n.
    private static void Fill(byte[] buffer, SocketAddress source, int n)
    {
        buffer[0] = (byte)n;
        buffer[^1] = (byte)(n >> 8);
        SocketAddress from = new IPEndPoint(IPAddress.Parse("10.9.0.1"), 1000 + n).Serialize();
        from.Buffer.Span.CopyTo(source.Buffer.Span);
    }

    private static void AssertOldest(DeferredDiscoverQueue queue, int n)
    {
        Assert.AreEqual((byte)n, queue.OldestData[0], "datagram " + n);
        Assert.AreEqual((byte)(n >> 8), queue.OldestData[queue.OldestLength - 1], "datagram " + n + "'s end");
        Assert.AreEqual(1000 + n, Port(queue.OldestSource), "sender of " + n);
        queue.RemoveOldest();
    }

    private static int Port(SocketAddress address)
    {
        return (address[2] << 8) | address[3];
    }
}
