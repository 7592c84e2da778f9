using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Signals;

public static class SignalTestHelpers
{
    public static async Task<JsonElement> DefineSignal(this HttpClient client, object definition) =>
        await (await client.PostAsJsonAsync("/api/signals/definitions", definition)).Json(HttpStatusCode.Created);

    /// <summary>Starts a run now and waits until it has finished; returns the finished run.</summary>
    public static async Task<JsonElement> RunPipeline(this HttpClient client, TimeSpan? timeout = null)
    {
        var started = await (await client.PostAsync("/api/pipeline/runs", null)).Json(HttpStatusCode.Accepted);
        return await client.WaitForRun(started.GetProperty("id").GetString()!, timeout);
    }

    public static async Task<JsonElement> WaitForRun(this HttpClient client, string id, TimeSpan? timeout = null)
    {
        JsonElement run = default;
        await Infrastructure.Api.Eventually(async () =>
        {
            run = await (await client.GetAsync($"/api/pipeline/runs/{id}")).Json(HttpStatusCode.OK);
            return run.GetProperty("status").GetString() is "completed" or "failed";
        }, timeout ?? TimeSpan.FromSeconds(60), $"pipeline run {id} finishes");
        return run;
    }

    public static JsonElement Step(this JsonElement run, string name) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == name);

    public static async Task<List<JsonElement>> Signals(this HttpClient client, string query = "")
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var url = "/api/signals?limit=2" + query + (cursor is null ? "" : "&cursor=" + cursor);
            var page = await (await client.GetAsync(url)).Json(HttpStatusCode.OK);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);
        return all;
    }

    /// <summary>Turns off the daily schedule so only the runs a test starts happen.</summary>
    public static async Task NoSchedule(this HttpClient client) =>
        await (await client.PutAsJsonAsync("/api/pipeline/schedule", new { enabled = false })).Json(HttpStatusCode.OK);
}
