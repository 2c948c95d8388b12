using Protocol.Registration;

namespace Controller.Registration;

/// <summary>How <see cref="RegistrationHub"/> reaches one link's peer.</summary>
public interface IRegistrationTransport
{
    /// <summary>The peer's address, for reports.</summary>
    string Peer { get; }

    /// <summary>Sends one frame whole; false when the link is gone.</summary>
    bool Send(RegistrationMessage frame);
}
