namespace Controller.SipDemo;

/// <summary>
/// How a <see cref="KamailioElement"/> is started beyond its port: where it listens, whether it
/// redirects numbers homed on another element, a TLS listener, more digest users, and the network
/// namespace it runs in. The defaults are the SIP lab's: a plain registrar on 127.0.0.1.
/// </summary>
public sealed class KamailioElementOptions
{
    /// <summary>The address its UDP, TCP (and TLS) listeners bind.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>A regex over the To user of numbers homed on <see cref="Other"/>; null for a plain registrar.</summary>
    public string? OtherHomed { get; init; }

    /// <summary>The SIP URI of the element those numbers are homed on.</summary>
    public string? Other { get; init; }

    /// <summary>A TCP port for a TLS listener (WITH_TLS); 0 for none.</summary>
    public int TlsPort { get; init; }

    /// <summary>With <see cref="TlsPort"/>: a tls.cfg (tools/kamailio/tls.cfg with its certificates filled in).</summary>
    public string? TlsProfile { get; init; }

    /// <summary>More digest users for the db_text subscriber table, each "number:password" (realm <see cref="KamailioElement.Realm"/>).</summary>
    public string[] Subscribers { get; init; } = System.Array.Empty<string>();

    /// <summary>A network namespace to run it in (`ip netns exec`); null for this one.</summary>
    public string? Namespace { get; init; }
}
