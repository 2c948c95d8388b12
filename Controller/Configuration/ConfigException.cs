using System;

namespace Controller.Configuration;

/// <summary>A configuration that cannot be used; the message names the file and the field.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }
}
