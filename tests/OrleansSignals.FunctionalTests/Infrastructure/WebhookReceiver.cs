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

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>A real HTTP receiver (Kestrel on loopback) that records every request and answers as the test says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Request(DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string Id => Headers["webhook-id"];
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }

    private readonly WebApplication _app;
    private int _count;

    /// <summary>Answers request number n (1-based); default 200 with a short body.</summary>
    public Func<int, HttpResponse, Task> Respond { get; set; } = (_, response) => response.WriteAsync("ok");

    public ConcurrentQueue<Request> Requests { get; } = new();
    public string Url { get; private set; } = "";

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            Requests.Enqueue(new Request(DateTimeOffset.UtcNow, headers, body));
            await Respond(Interlocked.Increment(ref _count), http.Response);
        });
    }

    public static async Task<WebhookReceiver> StartAsync(Func<int, HttpResponse, Task>? respond = null)
    {
        var receiver = new WebhookReceiver();
        if (respond is not null) receiver.Respond = respond;
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    public static Func<int, HttpResponse, Task> Status(int status) => (_, response) =>
    {
        response.StatusCode = status;
        return response.WriteAsync($"answered {status}");
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
