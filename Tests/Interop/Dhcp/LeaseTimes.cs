namespace Tests.Interop.Dhcp;

/// <summary>What a server is told to grant: lease, T1 and T2 in seconds (0: the server's default T1/T2).</summary>
internal sealed record LeaseTimes(int Lease, int Renew, int Rebind);
