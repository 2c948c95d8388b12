using System;

namespace HilRunner;

/// <summary>A mistake in a scenario file; the message names the line.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string message)
        : base(message)
    {
    }
}
