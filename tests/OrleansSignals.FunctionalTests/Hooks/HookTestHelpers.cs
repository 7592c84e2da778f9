using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Storage;

namespace OrleansSignals.FunctionalTests.Hooks;

internal static class HookTestHelpers
{
    public static async Task<(Guid Id, string Secret)> CreateEndpoint(this HttpClient client, object body)
    {
        var created = await (await client.PostAsJsonAsync("/api/webhooks", body)).Json(HttpStatusCode.Created);
        return (Guid.Parse(created.GetProperty("id").GetString()!), created.GetProperty("secret").GetString()!);
    }

    /// <summary>Defines power_user (one login is enough) and sends a login: one insight.triggered for the account.</summary>
    public static async Task TriggerPowerUser(this HttpClient client, string account, string eventId)
    {
        var definitions = await (await client.GetAsync("/api/insights/definitions")).Json(HttpStatusCode.OK);
        if (definitions.GetProperty("items").GetArrayLength() == 0)
            await client.Define(new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 1 });
        await (await client.PostEvents(Infrastructure.Api.Event(eventId, account, "login", DateTimeOffset.UtcNow))).Json(HttpStatusCode.Accepted);
    }

    /// <summary>Writes a transition as account turns do (history + outbox in one transaction); returns its id.</summary>
    public static async Task<Guid> WriteTransition(this SignalsFactory factory, string workspace, string account, string type, string? key, string? oldValue, string? newValue, int health)
    {
        var now = DateTimeOffset.UtcNow;
        await factory.Services.GetRequiredService<PartitionManager>().EnsureAsync("history", [now], CancellationToken.None);
        var id = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH h AS (INSERT INTO history (id, workspace_id, account_id, occurred_at, type, key, old_value, new_value, health_score)
                       VALUES ($1, $2, $3, $4, $5, $6, signals_transition_value($5, $7), signals_transition_value($5, $8), $9) RETURNING id)
            INSERT INTO outbox (transition_id, workspace_id, account_id, type, occurred_at) VALUES ($1, $2, $3, $5, $4)
            """, connection);
        foreach (var value in new object?[] { id, workspace, account, now, type, key, oldValue, newValue, health })
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    public static async Task<JsonElement[]> Deliveries(this HttpClient client, Guid endpoint, string path = "deliveries") =>
        [.. (await (await client.GetAsync($"/api/webhooks/{endpoint}/{path}")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    public static async Task WaitFor(Func<bool> condition, string because, int seconds = 20) =>
        await Infrastructure.Api.Eventually(() => Task.FromResult(condition()), TimeSpan.FromSeconds(seconds), because);
}
