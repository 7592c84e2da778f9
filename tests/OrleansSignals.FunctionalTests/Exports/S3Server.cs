using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>A real S3-compatible server (npm s3rver, installed in tests/tools) on loopback, with one bucket; removed when disposed.</summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private S3Server(Process process, string url, string directory, string bucket)
    {
        _process = process;
        Url = url;
        Directory = directory;
        Bucket = bucket;
    }

    public string Url { get; }
    public string Directory { get; }
    public string Bucket { get; }

    public static async Task<S3Server> StartAsync(string bucket)
    {
        var tools = ToolsDirectory();
        var directory = Path.Combine(Path.GetTempPath(), "s3rver-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var port = TestPorts.Next();
        var start = new ProcessStartInfo("node", [Path.Combine(tools, "node_modules", "s3rver", "bin", "s3rver.js"),
            "--directory", directory, "--port", port.ToString(), "--address", "127.0.0.1", "--configure-bucket", bucket, "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = tools,
        };
        var process = Process.Start(start)!;
        var server = new S3Server(process, $"http://127.0.0.1:{port}", directory, bucket);
        process.OutputDataReceived += (_, e) => { lock (server._log) server._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (server._log) server._log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"s3rver exited: {server._log}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string ToolsDirectory()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OrleansSignals.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        var tools = Path.Combine(root, "tests", "tools");
        return File.Exists(Path.Combine(tools, "node_modules", "s3rver", "bin", "s3rver.js"))
            ? tools
            : throw new InvalidOperationException($"s3rver is not installed: run `npm ci` in {tools}.");
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
