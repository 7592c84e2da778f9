using System.Diagnostics;
using System.Net;
using System.Text;

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>
/// A real silo: <c>dotnet OrleansSignals.Host.dll --urls http://127.0.0.1:PORT</c>, as operators start it,
/// from the build output of src/OrleansSignals.Host.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public string Url { get; }

    private HostProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The host's process id (to read its memory from /proc).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>A client of this host that sends <paramref name="token"/> (an API key or the operator token) as its bearer.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static HostProcess Start(string connectionString, string adminToken, params (string Key, string Value)[] settings)
    {
        var port = TestPorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [HostDll(), "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(HostDll())!,
        };
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["Signals__AdminToken"] = adminToken;
        // Hosts of one test share a database and so one cluster; each needs its own silo and gateway ports.
        start.Environment["Orleans__SiloPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        var host = new HostProcess(process, url);
        process.OutputDataReceived += (_, e) => { lock (host._log) host._log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (host._log) host._log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Host exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Host {Url} not ready after {timeout}:\n{Log}");
    }

    /// <summary>Sends SIGTERM, as a service manager or Kubernetes does; true when the host exited within the timeout.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The Host build output of the same configuration as this test assembly.</summary>
    internal static string HostDll()
    {
        var testDir = AppContext.BaseDirectory; // tests/X/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(testDir).Parent!.Name;
        var root = testDir;
        while (!File.Exists(Path.Combine(root, "OrleansSignals.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        var dll = Path.Combine(root, "src", "OrleansSignals.Host", "bin", configuration, "net10.0", "OrleansSignals.Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/OrleansSignals.Host ({configuration}) first", dll);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
