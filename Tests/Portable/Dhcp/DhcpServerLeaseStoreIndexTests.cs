using Protocol.Dhcp;

namespace Tests.Portable.Dhcp;

/// <summary>
/// The in-memory lease table's index: records that share a hash bucket (addresses 1,024 apart)
/// are still told apart, and a client that moves or goes leaves no stale entry behind.
/// </summary>
[TestClass]
public class DhcpServerLeaseStoreIndexTests
{
    private const uint First = 0x0A000001;
    private const uint SameBucket = First + 1024;

    [TestMethod]
    public void RecordsSharingABucketAreFoundEachByItsOwnKey()
    {
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        store.Save(Record("aa:00:00:00:00:01", First));
        store.Save(Record("aa:00:00:00:00:02", SameBucket));

        Assert.AreEqual(2, store.Count);
        Assert.AreEqual("aa:00:00:00:00:01", store.FindByAddress(First)!.ClientKey);
        Assert.AreEqual("aa:00:00:00:00:02", store.FindByAddress(SameBucket)!.ClientKey);
        Assert.AreEqual(SameBucket, store.FindByClient("aa:00:00:00:00:02")!.Address);
        Assert.IsNull(store.FindByAddress(First + 2048), "an address in the same bucket that nobody holds");
        Assert.IsNull(store.FindByClient("aa:00:00:00:00:03"));
    }

    [TestMethod]
    public void AClientSavedAtANewAddressNoLongerHoldsTheOldOne()
    {
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        store.Save(Record("aa:00:00:00:00:01", First));
        store.Save(Record("aa:00:00:00:00:01", SameBucket));

        Assert.AreEqual(1, store.Count);
        Assert.IsNull(store.FindByAddress(First), "the old address is free");
        Assert.AreEqual(SameBucket, store.FindByClient("aa:00:00:00:00:01")!.Address);
    }

    [TestMethod]
    public void ARemovedClientIsGoneFromBothIndexesAndOthersStay()
    {
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        store.Save(Record("aa:00:00:00:00:01", First));
        store.Save(Record("aa:00:00:00:00:02", SameBucket));
        store.Remove("aa:00:00:00:00:01");
        store.Remove("aa:00:00:00:00:09");

        Assert.AreEqual(1, store.Count);
        Assert.IsNull(store.FindByClient("aa:00:00:00:00:01"));
        Assert.IsNull(store.FindByAddress(First));
        Assert.AreEqual("aa:00:00:00:00:02", store.FindByAddress(SameBucket)!.ClientKey);
    }

    [TestMethod]
    public void TheStoreKeepsACopyNotTheCallersRecord()
    {
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpLeaseRecord record = Record("aa:00:00:00:00:01", First);
        store.Save(record);
        record.Address = SameBucket;

        Assert.AreEqual(First, store.FindByClient("aa:00:00:00:00:01")!.Address);
    }

    private static DhcpLeaseRecord Record(string client, uint address)
    {
        return new DhcpLeaseRecord { ClientKey = client, Address = address, ExpiresAt = 1000, State = DhcpLeaseState.Bound };
    }
}
