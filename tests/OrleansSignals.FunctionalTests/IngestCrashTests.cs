using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

/// <summary>
/// A host killed (SIGKILL) in the middle of ingestion, and a client that retries what was not acknowledged:
/// every acknowledged event stays, every event ends up applied exactly once, and each lifecycle occurrence is
/// one transition, however the batches were cut.
/// </summary>
public sealed class IngestCrashTests : IAsyncLifetime
{
    private const string AdminToken = "ingest-crash-admin-token-0123456789";
    private TestDatabase _database = null!;
    private HostProcess? _first;
    private HostProcess? _second;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _first = HostProcess.Start(_database.ConnectionString, AdminToken);
        await _first.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_first is not null) await _first.DisposeAsync();
        if (_second is not null) await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_host_killed_mid_ingest_loses_no_acknowledged_event_and_a_retry_applies_each_event_once()
    {
        using var admin = _first!.Client(AdminToken);
        var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Crash" })).Json(HttpStatusCode.Created);
        var key = created.GetProperty("api_key").GetString()!;
        var workspace = created.GetProperty("id").GetString()!;
        using var first = _first!.Client(key);
        await (await first.PutAsJsonAsync("/api/lifecycle-events", new[] { "deployed" })).Json(HttpStatusCode.OK);

        // 60 batches of 400 "deployed" events over 300 accounts, each event at its own second: every event is
        // a lifecycle transition, so history counts applications.
        const int Batches = 60, PerBatch = 400, Accounts = 300;
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        var batches = Enumerable.Range(0, Batches).Select(b => JsonSerializer.Serialize(Enumerable.Range(0, PerBatch).Select(i =>
        {
            var n = b * PerBatch + i;
            return Event($"crash-{n}", $"acct-{n % Accounts}", "deployed", start.AddSeconds(n));
        }))).ToList();

        var acknowledged = new bool[Batches];
        var sending = Parallel.ForEachAsync(Enumerable.Range(0, Batches), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (b, _) =>
        {
            try
            {
                var response = await first.PostAsync("/api/events", new StringContent(batches[b], System.Text.Encoding.UTF8, "application/json"));
                acknowledged[b] = response.StatusCode == HttpStatusCode.Accepted;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // The host died under this request: not acknowledged, so the client sends it again.
            }
        });
        await Eventually(() => Task.FromResult(acknowledged.Count(a => a) >= 5), TimeSpan.FromSeconds(60), "some batches are acknowledged");
        await _first!.DisposeAsync(); // SIGKILL, mid-ingest
        _first = null;
        await sending;
        var acknowledgedBefore = acknowledged.Count(a => a);
        Assert.True(acknowledgedBefore < Batches, "the host was killed before the last batch was acknowledged");

        // Every acknowledged event is stored.
        var ackedIds = Enumerable.Range(0, Batches).Where(b => acknowledged[b]).SelectMany(b => Enumerable.Range(b * PerBatch, PerBatch)).Select(n => $"crash-{n}").ToArray();
        Assert.Equal(ackedIds.Length, await _database.ScalarAsync<long>("SELECT count(*) FROM events WHERE workspace_id = $1 AND event_id = ANY($2)", workspace, ackedIds));

        // A new host; the client sends every batch again, not knowing which of the cut ones were stored.
        _second = HostProcess.Start(_database.ConnectionString, AdminToken);
        await _second.WaitReadyAsync(TimeSpan.FromSeconds(60));
        using var second = _second.Client(key);
        var duplicates = 0;
        foreach (var batch in batches)
        {
            var result = await (await second.PostAsync("/api/events", new StringContent(batch, System.Text.Encoding.UTF8, "application/json"))).Json(HttpStatusCode.Accepted);
            Assert.Equal(PerBatch, result.GetProperty("accepted").GetInt32() + result.GetProperty("duplicates").GetInt32());
            duplicates += result.GetProperty("duplicates").GetInt32();
        }
        Assert.True(duplicates >= acknowledgedBefore * PerBatch, "acknowledged events come back as duplicates");

        // Each event stored once, applied once: one lifecycle transition per event, and each account's state
        // shows its last event.
        const long Total = Batches * PerBatch;
        Assert.Equal(Total, await _database.ScalarAsync<long>("SELECT count(*) FROM events WHERE workspace_id = $1", workspace));
        Assert.Equal(Total, await _database.ScalarAsync<long>("SELECT count(*) FROM history WHERE workspace_id = $1 AND type = 'lifecycle.event'", workspace));
        Assert.Equal(Total, await _database.ScalarAsync<long>("SELECT count(DISTINCT new_value) FROM history WHERE workspace_id = $1 AND type = 'lifecycle.event'", workspace));
        foreach (var account in new[] { 0, 1, Accounts / 2, Accounts - 1 })
        {
            var last = Total - Accounts + account;
            var state = await second.Account($"acct-{account}");
            Assert.Equal(start.AddSeconds(last), DateTimeOffset.Parse(state.GetProperty("lifecycle").GetProperty("deployed").GetString()!));
        }
    }
}
