namespace Controller.Registration;

/// <summary>Where one phone link stands with this element; <see cref="RegistrationSession"/> changes it only through its Enter.</summary>
public enum RegistrationSessionState
{
    /// <summary>Connected; no Register yet (or the last one was refused with an Error).</summary>
    AwaitingRegister,

    /// <summary>Told to prompt for a PIN (PinRequest, or ClearPin on a PIN that cannot be used); the next frame is a PinEntry.</summary>
    PinRequested,

    /// <summary>Registered here on a DN of this element's Telephone Directory.</summary>
    Registered,

    /// <summary>Registered here as the DN's secondary element, after the set lost its primary.</summary>
    RegisteredAtSecondary,

    /// <summary>Told to register at the DN's home element instead; the set leaves.</summary>
    Redirected,

    /// <summary>Told to clear its PIN and reset (its DN or set was deleted, or its DN was taken over); the set leaves.</summary>
    Released,

    /// <summary>The peer is another cluster element sending Remote Directory Number updates.</summary>
    ElementLink,
}
