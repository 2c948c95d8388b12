using System;

namespace PhoneFirmware.Host;

/// <summary>A command-line mistake; its message is shown to the user as is.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
