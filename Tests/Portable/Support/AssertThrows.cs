using System;
using Protocol.Common;

namespace Tests.Portable.Support;

/// <summary>
/// "Throws" in the form both MSTest and nanoFramework.TestFramework can run
/// (their own APIs for it differ).
/// </summary>
public static class AssertThrows
{
    public static void ParseError(Action action)
    {
        bool thrown = false;
        try
        {
            action();
        }
        catch (ProtocolParseException)
        {
            thrown = true;
        }

        Assert.IsTrue(thrown, "expected a ProtocolParseException");
    }

    public static void Any(Action action)
    {
        bool thrown = false;
        try
        {
            action();
        }
        catch (Exception)
        {
            thrown = true;
        }

        Assert.IsTrue(thrown, "expected an exception");
    }

    /// <summary>The message of the <see cref="ArgumentException"/> the action throws (it fails the test if none is thrown).</summary>
    public static string ArgumentMessage(Action action)
    {
        bool thrown = false;
        string message = string.Empty;
        try
        {
            action();
        }
        catch (ArgumentException e)
        {
            thrown = true;
            message = e.Message;
        }

        Assert.IsTrue(thrown, "expected an ArgumentException");
        return message;
    }
}
