using System.Diagnostics;
using System.Text.Json;

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>
/// Verifies a captured request with the npm package standardwebhooks (tests/tools/verify-webhook.mjs), an
/// implementation of the spec independent of ours. scripts/test.sh runs npm ci there.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static async Task<(bool Ok, string Output)> VerifyAsync(string secret, WebhookReceiver.Request request)
    {
        var script = Path.Combine(RepoRoot(), "tests", "tools", "verify-webhook.mjs");
        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        using var process = Process.Start(start)!;
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = request.Headers["webhook-id"],
            ["webhook-timestamp"] = request.Headers["webhook-timestamp"],
            ["webhook-signature"] = request.Headers["webhook-signature"],
        };
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new { secret, headers, body = request.Body }));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, output);
    }

    private static string RepoRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OrleansSignals.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        return root;
    }
}
