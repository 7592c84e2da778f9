namespace OrleansSignals.Grains.Tests.Activation;

/// <summary>Lets a test know a held turn has started, and end it.</summary>
public sealed class TurnGate
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
