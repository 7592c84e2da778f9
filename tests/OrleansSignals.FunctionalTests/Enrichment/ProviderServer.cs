using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansSignals.FunctionalTests.Enrichment;

/// <summary>
/// A real enrichment provider (Kestrel on 127.0.0.1): receives an item as JSON, answers as the test says (status,
/// JSON body, Retry-After), and records every call, so tests count what the provider saw.
/// </summary>
public sealed class ProviderServer : IAsyncDisposable
{
    public sealed record Call(string Path, long ItemId, int Line, int Status, DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, JsonElement Body);

    public sealed record Answer(int Status, object? Body, string? RetryAfter = null);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string, long), int> _callsPerItem = new();

    /// <summary>Answers a call: (path, request body, how many times this path was called for this item, 1-based).</summary>
    public Func<string, JsonElement, int, Answer> Respond { get; set; } = (_, _, _) => new Answer(200, new { });

    /// <summary>How long each call takes before it is answered.</summary>
    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<Call> Calls { get; } = new();

    public string BaseUrl { get; private set; } = "";

    private ProviderServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(async http =>
        {
            var body = (await JsonDocument.ParseAsync(http.Request.Body)).RootElement.Clone();
            var path = http.Request.Path.Value!.Trim('/');
            var itemId = body.GetProperty("item_id").GetInt64();
            var n = _callsPerItem.AddOrUpdate((path, itemId), 1, (_, c) => c + 1);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);  // a slow provider (its answer time), not a wait in a test
            var answer = Respond(path, body, n);
            Calls.Enqueue(new Call(path, itemId, body.GetProperty("line").GetInt32(), answer.Status, DateTimeOffset.UtcNow,
                http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
            http.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null) http.Response.Headers.RetryAfter = answer.RetryAfter;
            if (answer.Body is not null) await http.Response.WriteAsJsonAsync(answer.Body);
        });
    }

    public static async Task<ProviderServer> StartAsync()
    {
        var server = new ProviderServer();
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>Calls this provider answered with a 2xx, per path and item.</summary>
    public Dictionary<(string Path, long Item), int> Successes() =>
        Calls.Where(c => c.Status is >= 200 and < 300).GroupBy(c => (c.Path, c.ItemId)).ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
