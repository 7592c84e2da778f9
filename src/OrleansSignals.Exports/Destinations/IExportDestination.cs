namespace OrleansSignals.Exports.Destinations;

/// <summary>
/// Where export files go. Paths are relative keys (<c>a/b/c.parquet</c>) under the destination's
/// root. A file becomes visible under its final path only when its upload is committed.
/// Failures surface as <see cref="ExportDestinationException"/>.
/// </summary>
public interface IExportDestination
{
    /// <summary>How the path is shown to users: an absolute file path or <c>s3://bucket/key</c>.</summary>
    string Describe(string path);

    /// <summary>Starts writing a file; nothing appears under <paramref name="path"/> until <see cref="IExportUpload.CommitAsync"/>.</summary>
    Task<IExportUpload> BeginAsync(string path, CancellationToken cancellationToken);

    /// <summary>Deletes files; a path that does not exist is not an error.</summary>
    Task DeleteAsync(IEnumerable<string> paths, CancellationToken cancellationToken);

    /// <summary>Deletes every file and leftover temporary of a run in <paramref name="directory"/> whose name starts with <paramref name="namePrefix"/>.</summary>
    Task DeleteByPrefixAsync(string directory, string namePrefix, CancellationToken cancellationToken);

    /// <summary>Opens a committed file for reading (downloads).</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>A time-limited URL to the file for stores that can issue one (S3); null otherwise.</summary>
    Uri? PresignedUrl(string path, TimeSpan lifetime);
}
