namespace Protocol.Dhcp;

/// <summary>The client states of RFC 2131 figure 5.</summary>
public enum DhcpClientState
{
    Stopped,
    Selecting,
    Requesting,
    Rebooting,
    Bound,
    Renewing,
    Rebinding,
}
