using Controller.Database;
using Controller.Dhcp;
using Microsoft.Data.Sqlite;
using Protocol.Dhcp;
using Tests.Support;

namespace Tests.Controller;

/// <summary>The lease table in the element's SQLite file: written through, batched, read back after a restart.</summary>
[TestClass]
public sealed class SqliteLeaseStoreTests
{
    private static DhcpLeaseRecord Lease(string mac, uint address, DhcpLeaseState state)
    {
        return new DhcpLeaseRecord { ClientKey = mac, Address = address, ExpiresAt = 1_000_000, State = state };
    }

    private static long Rows(ElementDatabase database)
    {
        using SqliteCommand command = database.Command("SELECT count(*) FROM dhcp_leases");
        return (long)command.ExecuteScalar()!;
    }

    [TestMethod]
    public void ABatchIsWrittenOnlyWhenCommittedAndSurvivesARestart()
    {
        using TestDirectory directory = new("leases");
        string path = directory.File("element.db");
        using (ElementDatabase database = ElementDatabase.Open(path))
        {
            SqliteLeaseStore store = new(database, new object());
            store.BeginBatch();
            store.Save(Lease("02:00:00:00:00:01", 0x0A000064, DhcpLeaseState.Offered));
            store.Save(Lease("02:00:00:00:00:01", 0x0A000064, DhcpLeaseState.Bound));
            store.Save(Lease("02:00:00:00:00:02", 0x0A000065, DhcpLeaseState.Bound));
            Assert.AreEqual(2, store.PendingChanges, "the offer is not written, the two bound leases are");
            Assert.AreEqual(0L, Rows(database), "nothing reaches the file before the commit");
            Assert.AreEqual(DhcpLeaseState.Bound, store.FindByClient("02:00:00:00:00:01")!.State, "reads see the batch");
            store.CommitBatch();
            Assert.AreEqual(2L, Rows(database));

            // Outside a batch every change is written at once.
            store.Remove("02:00:00:00:00:02");
            Assert.AreEqual(1L, Rows(database));
        }

        using (ElementDatabase reopened = ElementDatabase.Open(path))
        {
            SqliteLeaseStore store = new(reopened, new object());
            Assert.AreEqual(1, store.Count);
            DhcpLeaseRecord record = store.FindByAddress(0x0A000064)!;
            Assert.AreEqual("02:00:00:00:00:01", record.ClientKey);
            Assert.AreEqual(DhcpLeaseState.Bound, record.State);
            Assert.AreEqual(1_000_000L, record.ExpiresAt);
            Assert.IsNull(store.FindByClient("02:00:00:00:00:02"));
        }
    }

    [TestMethod]
    public void AClientThatMovesKeepsOneRowAndFreesItsOldAddress()
    {
        using TestDirectory directory = new("leases-move");
        string path = directory.File("element.db");
        using (ElementDatabase database = ElementDatabase.Open(path))
        {
            SqliteLeaseStore store = new(database, new object());
            store.Save(Lease("02:00:00:00:00:01", 0x0A000064, DhcpLeaseState.Bound));
            store.BeginBatch();
            store.Save(Lease("02:00:00:00:00:01", 0x0A000070, DhcpLeaseState.Bound));
            store.Save(Lease("02:00:00:00:00:02", 0x0A000064, DhcpLeaseState.Bound));
            store.CommitBatch();
            Assert.AreEqual(2L, Rows(database));
            Assert.AreEqual("02:00:00:00:00:02", store.FindByAddress(0x0A000064)!.ClientKey);
        }

        using ElementDatabase reopened = ElementDatabase.Open(path);
        SqliteLeaseStore again = new(reopened, new object());
        Assert.AreEqual(0x0A000070u, again.FindByClient("02:00:00:00:00:01")!.Address);
        Assert.AreEqual("02:00:00:00:00:02", again.FindByAddress(0x0A000064)!.ClientKey);
    }

    [TestMethod]
    public void AnOfferIsKeptInMemoryOnlyAndTheMoveItCausesIsWritten()
    {
        using TestDirectory directory = new("leases-offer-dhcp-perf");
        string path = directory.File("element.db");
        using (ElementDatabase database = ElementDatabase.Open(path))
        {
            SqliteLeaseStore store = new(database, new object());
            store.Save(Lease("02:00:00:00:00:01", 0x0A000064, DhcpLeaseState.Bound));
            store.Save(Lease("02:00:00:00:00:02", 0x0A000065, DhcpLeaseState.Offered));
            Assert.AreEqual(DhcpLeaseState.Offered, store.FindByClient("02:00:00:00:00:02")!.State, "the offer is held in memory");
            Assert.AreEqual(1L, Rows(database), "an offer writes no row");

            // Client 1 is offered another address: its old row goes now, so it never has two.
            store.Save(Lease("02:00:00:00:00:01", 0x0A000070, DhcpLeaseState.Offered));
            Assert.AreEqual(0L, Rows(database));
            store.Save(Lease("02:00:00:00:00:01", 0x0A000070, DhcpLeaseState.Bound));
            Assert.AreEqual(1L, Rows(database));
        }

        using ElementDatabase reopened = ElementDatabase.Open(path);
        SqliteLeaseStore again = new(reopened, new object());
        Assert.AreEqual(1, again.Count);
        Assert.AreEqual(0x0A000070u, again.FindByClient("02:00:00:00:00:01")!.Address);
        Assert.IsNull(again.FindByClient("02:00:00:00:00:02"), "an offer does not survive a restart");
    }

    [TestMethod]
    public void LeasesOfADatabaseFromBeforeTheAddressKeyAreKept()
    {
        using TestDirectory directory = new("leases-v1");
        string path = directory.File("element.db");
        using (SqliteConnection old = new("Data Source=" + path + ";Pooling=False"))
        {
            old.Open();
            using SqliteCommand create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL);
                INSERT INTO schema_version (version) VALUES (1);
                CREATE TABLE dhcp_leases (mac TEXT PRIMARY KEY, address INTEGER NOT NULL UNIQUE, expires_at INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE multiline_ip_sets (device_id INTEGER PRIMARY KEY AUTOINCREMENT, device_type TEXT NOT NULL DEFAULT '5320', dn TEXT NOT NULL UNIQUE, mac TEXT UNIQUE, pin_memory INTEGER NOT NULL DEFAULT 1);
                INSERT INTO dhcp_leases (mac, address, expires_at, state) VALUES ('02:00:00:00:00:09', 167772260, 42, 1);
                """;
            create.ExecuteNonQuery();
        }

        using ElementDatabase database = ElementDatabase.Open(path);
        SqliteLeaseStore store = new(database, new object());
        DhcpLeaseRecord record = store.FindByClient("02:00:00:00:00:09")!;
        Assert.AreEqual(167772260u, record.Address);
        Assert.AreEqual(42L, record.ExpiresAt);
        Assert.AreEqual(DhcpLeaseState.Bound, record.State);
    }
}
