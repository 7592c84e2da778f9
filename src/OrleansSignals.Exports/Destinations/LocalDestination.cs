namespace OrleansSignals.Exports.Destinations;

/// <summary>
/// A folder on this machine. A file is written as a hidden temporary (<c>.name.{guid}.tmp</c>, which
/// Hive-style readers skip) beside its final name and renamed once complete: a rename within a
/// folder is atomic, so a reader sees either no file or the whole file.
/// </summary>
public sealed class LocalDestination(string root) : IExportDestination
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The path within the workspace's export folder: the server's own folders are not the client's business.</summary>
    public string Describe(string path)
    {
        FullPath(path); // still refuses a path that would leave the folder
        return path;
    }

    public Task<IExportUpload> BeginAsync(string path, CancellationToken cancellationToken)
    {
        var final = FullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(final)!, $".{Path.GetFileName(final)}.{Guid.NewGuid():N}.tmp");
        return Guard(final, () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            return Task.FromResult<IExportUpload>(new Upload(stream, temp, final));
        });
    }

    public Task DeleteAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        foreach (var path in paths)
        {
            var full = FullPath(path);
            if (File.Exists(full)) Guard(full, () => { File.Delete(full); return 0; });
        }
        return Task.CompletedTask;
    }

    public Task DeleteByPrefixAsync(string directory, string namePrefix, CancellationToken cancellationToken)
    {
        var full = FullPath(directory);
        if (!Directory.Exists(full)) return Task.CompletedTask;
        foreach (var file in Directory.EnumerateFiles(full))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith(namePrefix, StringComparison.Ordinal) || name.StartsWith("." + namePrefix, StringComparison.Ordinal))
            {
                Guard(file, () => { File.Delete(file); return 0; });
            }
        }
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        return Guard(full, () => Task.FromResult<Stream>(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous)));
    }

    public Uri? PresignedUrl(string path, TimeSpan lifetime) => null;

    /// <summary>The absolute path of a key; a key that would leave the root is refused.</summary>
    public string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ExportDestinationException($"The path '{path}' leaves the export folder.", transient: false);
        return full;
    }

    private static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Refused(path, ex);
        }
    }

    internal static ExportDestinationException Refused(string path, Exception ex) => ex switch
    {
        UnauthorizedAccessException => new ExportDestinationException($"No permission to write {path}: {ex.Message}", transient: false, ex),
        _ => new ExportDestinationException($"Could not write {path}: {ex.Message}", transient: false, ex),
    };

    private sealed class Upload(FileStream stream, string temp, string final) : IExportUpload
    {
        private bool _committed;

        public Stream Stream => stream;

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            try
            {
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
                await stream.DisposeAsync();
                File.Move(temp, final, overwrite: true);
                _committed = true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Refused(final, ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync();
            if (!_committed) File.Delete(temp);
        }
    }
}
