namespace OrleansSignals.Grains;

/// <summary>A turn lost the etag race too many times in a row; nothing of it was stored. Safe to retry.</summary>
public sealed class GrainContentionException(string message) : Exception(message);
