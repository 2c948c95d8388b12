using PhoneFirmware.Core.TestPort;

namespace Tests.Portable.Support;

/// <summary>A phone for test port sessions: records keys and restarts, shows a fixed screen, takes at most <see cref="KeyRoom"/> keys.</summary>
public sealed class RecordingTestPortPhone : ITestPortPhone
{
    public string Keys { get; private set; } = string.Empty;

    public int Restarts { get; private set; }

    public bool LastRestartHeldStar { get; private set; }

    public int KeyRoom { get; set; } = 1000;

    public string[] Screen { get; set; } = new string[] { "Enter PIN:", string.Empty };

    public int ScreenRows => Screen.Length;

    public bool PressKeys(string keys)
    {
        if (Keys.Length + keys.Length > KeyRoom)
        {
            return false;
        }

        Keys += keys;
        return true;
    }

    public void Restart(bool holdStar)
    {
        Restarts++;
        LastRestartHeldStar = holdStar;
    }

    public string ScreenLine(int row)
    {
        return Screen[row];
    }
}
