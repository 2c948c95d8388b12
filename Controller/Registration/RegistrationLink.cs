using Protocol.Registration;

namespace Controller.Registration;

/// <summary>One link of <see cref="RegistrationHub"/>: the session, the stream's framing and the way back.</summary>
public sealed class RegistrationLink
{
    public RegistrationLink(RegistrationSession session, IRegistrationTransport transport)
    {
        Session = session;
        Transport = transport;
    }

    public RegistrationSession Session { get; }

    public IRegistrationTransport Transport { get; }

    internal RegistrationFrameReader Reader { get; } = new();
}
