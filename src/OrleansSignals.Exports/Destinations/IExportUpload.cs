namespace OrleansSignals.Exports.Destinations;

/// <summary>
/// One file being written. Write to <see cref="Stream"/>, then <see cref="CommitAsync"/> to make it
/// visible under its final name. Disposing an upload that was not committed discards it.
/// </summary>
public interface IExportUpload : IAsyncDisposable
{
    Stream Stream { get; }

    Task CommitAsync(CancellationToken cancellationToken);
}
