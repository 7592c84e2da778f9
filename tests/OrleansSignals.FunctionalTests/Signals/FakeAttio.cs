using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// A local server speaking the part of Attio's REST API v2 that delivery uses (assert company / person records by
/// their unique attribute, assert a list entry by parent), with Attio's error shape, bearer auth, and a rate limit it
/// enforces itself over a sliding window: past it, 429 with Retry-After. Tests can also queue failures (429, 5xx).
/// </summary>
public sealed class FakeAttio : IAsyncDisposable
{
    public const string Token = "attio-test-token";

    private readonly WebApplication _app;
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly object _lock = new();
    private readonly ConcurrentDictionary<string, string> _records = new();

    public int Limit { get; }
    public TimeSpan Window { get; }
    public string BaseUrl { get; private set; } = "";

    /// <summary>Arrival time of every request the server got (rate-limited ones too).</summary>
    public ConcurrentQueue<DateTimeOffset> Arrivals { get; } = new();

    /// <summary>Requests refused because the client went over the limit.</summary>
    public int OverLimit => _overLimit;
    private int _overLimit;

    /// <summary>Statuses to answer the next requests with, before serving normally (injected 429s and 5xx).</summary>
    public ConcurrentQueue<int> Failures { get; } = new();

    /// <summary>List id to the (parent object, record id) entries in it.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, string>> Lists { get; } = new();

    /// <summary>"companies|acme.com" or "people|ann@acme.com" to the record id.</summary>
    public IReadOnlyDictionary<string, string> Records => _records;

    private FakeAttio(int limit, TimeSpan window)
    {
        Limit = limit;
        Window = window;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Use(async (http, next) =>
        {
            var now = DateTimeOffset.UtcNow;
            Arrivals.Enqueue(now);
            if (http.Request.Headers.Authorization.ToString() != "Bearer " + Token)
            {
                await Error(http, 401, "authentication_error", "unauthorized", "Invalid or missing access token.");
                return;
            }
            if (Failures.TryDequeue(out var status))
            {
                if (status == 429) http.Response.Headers.RetryAfter = "1";
                await Error(http, status, status == 429 ? "rate_limit_error" : "internal_server_error", status == 429 ? "rate_limit_exceeded" : "internal_error", "Injected failure.");
                return;
            }
            bool over;
            lock (_lock)
            {
                while (_window.Count > 0 && _window.Peek() <= now - Window) _window.Dequeue();
                over = _window.Count >= Limit;
                if (!over) _window.Enqueue(now);
            }
            if (over)
            {
                Interlocked.Increment(ref _overLimit);
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(Window.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Error(http, 429, "rate_limit_error", "rate_limit_exceeded", "Rate limit exceeded, please try again later.");
                return;
            }
            await next(http);
        });
        _app.MapPut("/v2/objects/{obj}/records", AssertRecordAsync);
        _app.MapPut("/v2/lists/{list}/entries", AssertEntryAsync);
    }

    public static async Task<FakeAttio> StartAsync(int limit, TimeSpan window)
    {
        var server = new FakeAttio(limit, window);
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return server;
    }

    /// <summary>The most requests that arrived within any one window.</summary>
    public int MostInAnyWindow()
    {
        var times = Arrivals.OrderBy(t => t).ToArray();
        var most = 0;
        for (int start = 0, end = 0; end < times.Length; end++)
        {
            while (times[end] - times[start] >= Window) start++;
            most = Math.Max(most, end - start + 1);
        }
        return most;
    }

    private async Task AssertRecordAsync(HttpContext http, string obj)
    {
        var matching = http.Request.Query["matching_attribute"].ToString();
        var expected = obj switch { "companies" => "domains", "people" => "email_addresses", _ => null };
        if (expected is null)
        {
            await Error(http, 404, "invalid_request_error", "not_found", $"Object '{obj}' was not found.");
            return;
        }
        var body = await JsonNode.ParseAsync(http.Request.Body);
        var value = body?["data"]?["values"]?[matching]?[0]?.GetValue<string>();
        if (matching != expected || value is null)
        {
            await Error(http, 400, "invalid_request_error", "validation_type", $"Expected data.values.{expected}[0] and matching_attribute={expected}.");
            return;
        }
        var recordId = _records.GetOrAdd($"{obj}|{value}", _ => Guid.NewGuid().ToString());
        var answer = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["id"] = new JsonObject { ["workspace_id"] = Guid.Empty.ToString(), ["object_id"] = obj, ["record_id"] = recordId },
                ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
                ["values"] = new JsonObject(),
            },
        };
        await http.Response.WriteAsJsonAsync(answer);
    }

    private async Task AssertEntryAsync(HttpContext http, string list)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body);
        var parent = body?["data"]?["parent_record_id"]?.GetValue<string>();
        var parentObject = body?["data"]?["parent_object"]?.GetValue<string>();
        if (parent is null || parentObject is null || !_records.Values.Contains(parent))
        {
            await Error(http, 400, "invalid_request_error", "validation_type", "data.parent_record_id must name an existing record, with data.parent_object.");
            return;
        }
        var entries = Lists.GetOrAdd(list, _ => new());
        var entryId = entries.GetOrAdd(parent, _ => Guid.NewGuid().ToString());
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["id"] = new JsonObject { ["workspace_id"] = Guid.Empty.ToString(), ["list_id"] = list, ["entry_id"] = entryId },
                ["parent_record_id"] = parent,
                ["parent_object"] = parentObject,
                ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
                ["entry_values"] = new JsonObject(),
            },
        });
    }

    private static Task Error(HttpContext http, int status, string type, string code, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new JsonObject { ["status_code"] = status, ["type"] = type, ["code"] = code, ["message"] = message });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
