using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>Terse helpers for what the tests send and read.</summary>
public static class Api
{
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    public static object Event(string id, string account, string name, DateTimeOffset at, object? properties = null) =>
        new { event_id = id, account_id = account, @event = name, timestamp = Iso(at), properties };

    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostEvents(this HttpClient client, params object[] events) =>
        client.PostAsJsonAsync("/api/events", events);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string url, string body, string contentType = "application/json") =>
        client.PostAsync(url, new StringContent(body, Encoding.UTF8, contentType));

    public static async Task<JsonElement> Account(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/accounts/{id}")).Json(HttpStatusCode.OK);

    public static async Task Define(this HttpClient client, object definition) =>
        await (await client.PostAsJsonAsync("/api/insights/definitions", definition)).Json(HttpStatusCode.Created);

    public static bool InsightActive(this JsonElement account, string key) =>
        account.GetProperty("insights").TryGetProperty(key, out var status) && status.GetProperty("active").GetBoolean();

    /// <summary>Polls until the condition holds (background work such as reminders), failing after the timeout.</summary>
    public static Task Eventually(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null) =>
        Eventually(condition, timeout ?? TimeSpan.FromSeconds(30), () => because ?? "");

    /// <summary>As above; <paramref name="because"/> is asked at the deadline, so it can say what is still missing.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, Func<string> because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting: {because()}");
            await Task.Delay(100);
        }
    }
}
