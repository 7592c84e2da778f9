namespace OrleansSignals.Storage;

/// <summary>A numbered schema change. Scripts run in version order, each once, in its own transaction.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql);
