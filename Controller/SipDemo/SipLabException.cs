using System;

namespace Controller.SipDemo;

/// <summary>The SIP lab could not be set up (Kamailio missing, not starting, a kamcmd failing): the message says what and what to do.</summary>
public sealed class SipLabException : Exception
{
    public SipLabException(string message)
        : base(message)
    {
    }
}
