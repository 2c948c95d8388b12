using System;

namespace Controller.Forms;

/// <summary>A form entry that breaks a rule; nothing was changed, and the message says why.</summary>
public sealed class FormException : Exception
{
    public FormException(string message)
        : base(message)
    {
    }
}
