namespace PhoneFirmware.Core.Registration;

/// <summary>What the homing plan says to do after a server failed.</summary>
public enum HomingAction
{
    /// <summary>Try <see cref="HomingPlan.Current"/> at once.</summary>
    TryNow,

    /// <summary>Wait <see cref="HomingPlan.BackOffMilliseconds"/>, then try <see cref="HomingPlan.Current"/>.</summary>
    BackOff,
}
