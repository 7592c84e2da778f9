using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>Creating exports and waiting for them, as a user of the API does.</summary>
public static class ExportClient
{
    public static async Task<JsonElement> ExportAsync(this HttpClient client, object request, TimeSpan? timeout = null)
    {
        var created = await (await client.PostAsJsonAsync("/api/datalake/exports", request)).Json(HttpStatusCode.Accepted);
        return await client.WaitForRunAsync(created.GetProperty("id").GetString()!, timeout);
    }

    public static async Task<JsonElement> WaitForRunAsync(this HttpClient client, string id, TimeSpan? timeout = null)
    {
        JsonElement run = default;
        await OrleansSignals.FunctionalTests.Infrastructure.Api.Eventually(async () =>
        {
            run = await (await client.GetAsync($"/api/datalake/exports/{id}")).Json(HttpStatusCode.OK);
            return run.GetProperty("status").GetString() is "completed" or "failed";
        }, timeout ?? TimeSpan.FromSeconds(60), $"export {id} to finish");
        return run;
    }

    public static IEnumerable<JsonElement> Files(this JsonElement run) => run.GetProperty("files").EnumerateArray();
}
