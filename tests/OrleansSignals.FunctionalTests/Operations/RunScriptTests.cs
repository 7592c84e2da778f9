using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using OrleansSignals.FunctionalTests.Hooks;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Operations;

/// <summary>
/// scripts/run.sh as a newcomer runs it (on the test database, the already built host): the demo's webhooks
/// reach a loopback receiver and the banner says so; the admin token survives a restart of the same setup.
/// </summary>
public sealed partial class RunScriptTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _local = Directory.CreateTempSubdirectory("signals-run-").FullName;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_local, recursive: true);
    }

    [Fact]
    public async Task The_demo_allows_loopback_webhooks_says_so_and_keeps_its_admin_token_across_restarts()
    {
        string firstToken;
        await using (var run = await RunScript.StartAsync(_database.ConnectionString, _local))
        {
            Assert.Contains("loopback destinations ALLOWED for the local demo", run.Banner);
            firstToken = run.Field("Admin token");
            var key = run.Field("Demo API key");
            using var client = new HttpClient { BaseAddress = new Uri(run.Url) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);

            await using var receiver = await WebhookReceiver.StartAsync();
            var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
            await (await client.PostAsync($"/api/webhooks/{endpoint}/test", null)).Json(HttpStatusCode.Accepted);
            await HookTestHelpers.WaitFor(() => !receiver.Requests.IsEmpty, "the demo's loopback receiver gets the test event");

            // Loopback only: the rest of the private network stays refused, and the 400 names the setting.
            var refused = await (await client.PostAsJsonAsync("/api/webhooks", new { url = "http://10.0.0.1/x", event_types = new[] { "insight.triggered" } }))
                .Json(HttpStatusCode.BadRequest);
            Assert.Contains("Signals:Hooks:AllowPrivateNetworks", refused.GetProperty("errors").GetProperty("url")[0].GetString());
        }
        Assert.True(File.Exists(Path.Combine(_local, "admin-token")));

        await using (var again = await RunScript.StartAsync(_database.ConnectionString, _local))
        {
            Assert.Equal(firstToken, again.Field("Admin token"));
            using var admin = new HttpClient { BaseAddress = new Uri(again.Url) };
            admin.DefaultRequestHeaders.Authorization = new("Bearer", firstToken);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/workspaces")).StatusCode);
        }
    }

    /// <summary>One run of scripts/run.sh, stopped as Ctrl-C would (SIGINT to the script, which stops its host).</summary>
    private sealed partial class RunScript : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly TaskCompletionSource _bannerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Url { get; }
        public string Banner { get { lock (_output) return _output.ToString(); } }

        private RunScript(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public static async Task<RunScript> StartAsync(string connectionString, string local)
        {
            var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(HostProcess.HostDll())!, "..", "..", "..", "..", ".."));
            var port = TestPorts.Next();
            var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "run.sh")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
            };
            start.Environment["ConnectionStrings__Postgres"] = connectionString;
            start.Environment["SIGNALS_LOCAL_DIR"] = local;
            start.Environment["SIGNALS_HOST_DIR"] = Path.GetDirectoryName(HostProcess.HostDll())!;
            start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Orleans__SiloPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Orleans__GatewayPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment.Remove("SIGNALS_ADMIN_TOKEN");
            start.Environment.Remove("Signals__Hooks__AllowLoopback");
            var run = new RunScript(Process.Start(start)!, $"http://127.0.0.1:{port}");
            run._process.OutputDataReceived += (_, e) => run.Append(e.Data);
            run._process.ErrorDataReceived += (_, e) => run.Append(e.Data);
            run._process.BeginOutputReadLine();
            run._process.BeginErrorReadLine();
            // The banner, or the script's exit, whichever comes first, within a deadline.
            Task finished;
            try { finished = await Task.WhenAny(run._bannerDone.Task, run._process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(120)); }
            catch (TimeoutException) { finished = Task.CompletedTask; }
            if (finished != run._bannerDone.Task) throw new InvalidOperationException($"run.sh did not print its banner:\n{run.Banner}");
            return run;
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output) _output.AppendLine(line);
            if (line.Contains("Host log follows")) _bannerDone.TrySetResult();
        }

        /// <summary>A banner field such as "Admin token    abc...".</summary>
        public string Field(string name) =>
            Regex.Match(Banner, $@"^\s+{Regex.Escape(name)}\s+(\S+)", RegexOptions.Multiline) is { Success: true } m
                ? m.Groups[1].Value
                : throw new InvalidOperationException($"no '{name}' in the banner:\n{Banner}");

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await interrupt.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            _process.Dispose();
        }
    }
}
