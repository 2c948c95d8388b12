namespace PhoneFirmware.Core.Boot;

public enum BootFileStageState
{
    Idle,
    Running,
    Completed,
    Failed,
}
