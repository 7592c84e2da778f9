using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSignals.Bench.Exports;

/// <summary>The few API calls the benchmark makes.</summary>
public sealed class SignalsClient(string url)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public HttpClient Http { get; } = new() { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };

    public static async Task<(SignalsClient Client, string Workspace)> CreateWorkspaceAsync(string url, string adminToken, string name)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(url) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var created = await ReadAsync(await admin.PostAsJsonAsync("/api/workspaces", new { name }));
        var client = new SignalsClient(url);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created["api_key"]!.GetValue<string>());
        return (client, created["id"]!.GetValue<string>());
    }

    public async Task DefineInsightAsync(string key, int threshold) => await ReadAsync(await Http.PostAsJsonAsync("/api/insights/definitions",
        new { key, kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = threshold }));

    public async Task<JsonObject> CreateExportAsync(object request) => await ReadAsync(await Http.PostAsJsonAsync("/api/datalake/exports", request, Json));

    public async Task<JsonObject> GetExportAsync(string id) => await ReadAsync(await Http.GetAsync($"/api/datalake/exports/{id}"));

    public async Task DeleteExportAsync(string id) => (await Http.DeleteAsync($"/api/datalake/exports/{id}")).EnsureSuccessStatusCode();

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
