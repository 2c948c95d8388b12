namespace Tests.Simulation;

/// <summary>Something the runner steps: a phone, a controller. Returns when it next needs a step.</summary>
public interface ISimActor
{
    long Step(long now);
}
