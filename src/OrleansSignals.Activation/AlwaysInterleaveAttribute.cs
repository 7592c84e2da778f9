namespace OrleansSignals.Activation;

/// <summary>
/// The method runs without waiting for the activation's turn, concurrently with other calls
/// (Orleans: <c>[AlwaysInterleave]</c>). It must only read state that turns publish immutably.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;
