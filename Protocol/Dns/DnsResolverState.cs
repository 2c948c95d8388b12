namespace Protocol.Dns;

/// <summary>Where one A lookup is.</summary>
public enum DnsResolverState
{
    /// <summary>Not started, or cancelled.</summary>
    Idle,

    /// <summary>A query is out to the current server; its answer or its timeout is awaited.</summary>
    Querying,

    /// <summary>A server gave at least one A record: see <see cref="DnsResolver.Addresses"/>.</summary>
    Resolved,

    /// <summary>The name does not exist, or every server stayed silent or answered without an address.</summary>
    Failed,
}
