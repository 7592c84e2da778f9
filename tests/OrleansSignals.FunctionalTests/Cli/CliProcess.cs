using System.Diagnostics;

namespace OrleansSignals.FunctionalTests.Cli;

/// <summary>
/// The <c>signals</c> tool as a user runs it: <c>dotnet signals.dll ...</c> from the build output of
/// src/OrleansSignals.Cli, with its own environment, output captured.
/// </summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [CliDll(), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        // Whatever the test runner's environment says about the API must not leak into the tool.
        start.Environment.Remove("SIGNALS_URL");
        start.Environment.Remove("SIGNALS_API_KEY");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"signals {string.Join(' ', args)} did not exit within 120 s:\n{await stdout}\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The CLI build output of the same configuration as this test assembly.</summary>
    private static string CliDll()
    {
        var testDir = AppContext.BaseDirectory; // tests/X/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(testDir).Parent!.Name;
        var root = testDir;
        while (!File.Exists(Path.Combine(root, "OrleansSignals.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        var dll = Path.Combine(root, "src", "OrleansSignals.Cli", "bin", configuration, "net10.0", "signals.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/OrleansSignals.Cli ({configuration}) first", dll);
    }
}
