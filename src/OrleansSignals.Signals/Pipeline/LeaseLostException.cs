namespace OrleansSignals.Signals.Pipeline;

/// <summary>This host's lease on a run ran out and another host may have taken it: stop without recording anything.</summary>
public sealed class LeaseLostException() : Exception("The lease on the pipeline run was lost.");
