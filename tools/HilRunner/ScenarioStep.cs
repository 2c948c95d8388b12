using System;
using System.Collections.Generic;

namespace HilRunner;

/// <summary>One line of a scenario file, parsed.</summary>
public sealed class ScenarioStep
{
    public required ScenarioStepKind Kind { get; init; }

    /// <summary>The line number in the scenario file, for messages.</summary>
    public required int Line { get; init; }

    /// <summary>The line as written, for the transcript.</summary>
    public required string Text { get; init; }

    /// <summary>restart: hold '*' through the power-up.</summary>
    public bool HoldStar { get; init; }

    /// <summary>type: the keys; expect: the event name; screen: the text to find.</summary>
    public string Argument { get; init; } = string.Empty;

    /// <summary>expect: fields the event must carry, with these values as text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>How long the step may wait (wait: how long it waits).</summary>
    public TimeSpan Timeout { get; init; }
}
