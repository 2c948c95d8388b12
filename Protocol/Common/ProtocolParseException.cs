using System;

namespace Protocol.Common;

/// <summary>
/// The only exception a parser in this project throws on malformed input.
/// Callers drop the packet and count it; nothing else needs catching.
/// </summary>
public sealed class ProtocolParseException : Exception
{
    public ProtocolParseException(string message)
        : base(message)
    {
    }
}
