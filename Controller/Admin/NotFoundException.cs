using System;

namespace Controller.Admin;

/// <summary>An admin request named an entry that does not exist (HTTP 404).</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string message)
        : base(message)
    {
    }
}
