using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Enrichment;

/// <summary>What the tests send to the enrichment API, as a user would.</summary>
public static class EnrichmentApiClient
{
    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string csv, string steps, string? mapping = null, string fileName = "people.csv") =>
        client.UploadAsync(Encoding.UTF8.GetBytes(csv), steps, mapping, fileName);

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] csv, string steps, string? mapping = null, string fileName = "people.csv")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new("text/csv");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(steps), "steps");
        if (mapping is not null) form.Add(new StringContent(mapping), "mapping");
        return await client.PostAsync("/api/enrichment/batches", form);
    }

    public static async Task<string> UploadOkAsync(this HttpClient client, string csv, string steps) =>
        (await (await client.UploadAsync(csv, steps)).Json(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;

    public static async Task AddProviderAsync(this HttpClient client, object provider)
    {
        var response = await client.PostAsJsonAsync("/api/enrichment/providers", provider);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> BatchAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/enrichment/batches/{id}")).Json(HttpStatusCode.OK);

    public static async Task<JsonElement> WaitForBatchAsync(this HttpClient client, string id, TimeSpan? timeout = null, params string[] statuses)
    {
        statuses = statuses.Length == 0 ? ["completed", "failed", "cancelled"] : statuses;
        JsonElement batch = default;
        await OrleansSignals.FunctionalTests.Infrastructure.Api.Eventually(async () =>
        {
            batch = await client.BatchAsync(id);
            return statuses.Contains(batch.GetProperty("status").GetString()) && (batch.GetProperty("status").GetString() != "completed"
                || batch.TryGetProperty("consolidated_at", out _));
        }, timeout ?? TimeSpan.FromSeconds(60), $"batch {id} to reach {string.Join("/", statuses)}");
        return batch;
    }

    /// <summary>Every attempt of the audit log, following the cursor.</summary>
    public static async Task<List<JsonElement>> ResultsAsync(this HttpClient client, string id, int pageSize = 7)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/enrichment/batches/{id}/results?limit={pageSize}" + (cursor is null ? "" : $"&cursor={cursor}"))).Json(HttpStatusCode.OK);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);
        return all;
    }

    /// <summary>Every lead the query returns, following the cursor.</summary>
    public static async Task<List<JsonElement>> LeadsAsync(this HttpClient client, string query, int pageSize = 2)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/enrichment/leads?{query}&limit={pageSize}" + (cursor is null ? "" : $"&cursor={cursor}"))).Json(HttpStatusCode.OK);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);
        return all;
    }
}
