using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansSignals.Bench;

/// <summary>The few API calls the benchmarks make.</summary>
internal sealed class SignalsClient(string url)
{
    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };

    public async Task<string> CreateWorkspaceAsync(string adminToken, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces") { Content = JsonContent.Create(new { name }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("api_key").GetString()!;
        UseKey(key);
        return key;
    }

    public void UseKey(string key) => Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

    public async Task DefineAsync(object definition)
    {
        using var response = await Http.PostAsJsonAsync("/api/insights/definitions", definition);
        response.EnsureSuccessStatusCode();
    }

    public async Task PostEventsAsync(byte[] json)
    {
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync("/api/events", content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/events: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
