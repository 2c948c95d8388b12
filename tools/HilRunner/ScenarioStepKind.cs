namespace HilRunner;

/// <summary>The steps a scenario file can hold (tools/HilRunner/README.md).</summary>
public enum ScenarioStepKind
{
    /// <summary><c>restart [hold *]</c>: power-cycle the phone and wait for its power.up event.</summary>
    Restart,

    /// <summary><c>type KEYS</c>: key presses, in order.</summary>
    Type,

    /// <summary><c>expect EVENT [field=value ...] [within T]</c>: wait for a matching event.</summary>
    Expect,

    /// <summary><c>screen "TEXT" [within T]</c>: wait until a line of the display contains TEXT.</summary>
    Screen,

    /// <summary><c>wait T</c>: let time pass.</summary>
    Wait,
}
