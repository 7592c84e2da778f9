using System.Collections.Concurrent;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>The circuit: an endpoint that keeps failing is left alone for a while, its messages wait, then it recovers.</summary>
public sealed class CircuitTests(CircuitFactory factory) : IClassFixture<CircuitFactory>
{
    [Fact]
    public async Task A_failing_endpoint_stops_being_hammered_its_messages_wait_and_all_arrive_once_it_recovers()
    {
        await using var failing = await FailingEndpoint.OpenCircuitAsync(factory);
        var (client, endpoint, answers, ids, shown) = (failing.Client, failing.Endpoint, failing.Answers, failing.Ids, failing.Shown);
        // The operator sees the open circuit on the endpoint.
        var opened = answers.Count;
        Assert.True(shown.GetProperty("consecutive_failures").GetInt32() >= 3, shown.ToString());
        Assert.True(shown.GetProperty("circuit_open_until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-1), shown.ToString());
        // Wait out the break the endpoint shows, then count what reached the receiver inside it. Without the circuit,
        // five messages retried every 100 ms would have made ~20 more attempts in those 2 s.
        // (One attempt may already have been on its way when the third failure was recorded.)
        var openUntil = shown.GetProperty("circuit_open_until").GetDateTimeOffset();
        await HookTestHelpers.WaitFor(() => DateTimeOffset.UtcNow > openUntil, "the circuit break ends", seconds: 10);
        var during = answers.Skip(opened).Count(a => a.At < openUntil);
        Assert.True(during <= 1, $"{during} attempts reached the endpoint while its circuit was open");

        failing.Recover();
        await HookTestHelpers.WaitFor(() => ids.All(id => answers.Any(a => a.Id == id && a.Status == 200)), "after the break a probe succeeds and every message is delivered", seconds: 15);
        await Infrastructure.Api.Eventually(async () => (await client.Deliveries(endpoint)).Count(d => d.GetProperty("status").GetString() == "delivered") == 5,
            because: "the log shows all five delivered");
        Assert.Empty(await client.Deliveries(endpoint, "dead-letters"));
        var recovered = await (await client.GetAsync($"/api/webhooks/{endpoint}")).Json(System.Net.HttpStatusCode.OK);
        Assert.Equal(0, recovered.GetProperty("consecutive_failures").GetInt32());
        Assert.False(recovered.TryGetProperty("circuit_open_until", out _), recovered.ToString());
        // The endpoint was next tried when a break ended, not on the 100 ms retry schedule.
        var firstSuccess = answers.First(a => a.Status == 200);
        var lastFailure = answers.Last(a => a.Status == 500);
        Assert.True(firstSuccess.At - lastFailure.At >= TimeSpan.FromSeconds(1.5), "the probe came after the break");
    }

    [Fact]
    public async Task A_half_open_endpoint_gets_one_probe_even_while_the_failed_probe_is_still_being_recorded()
    {
        await using var failing = await FailingEndpoint.OpenCircuitAsync(factory);
        var (endpoint, answers, ids) = (failing.Endpoint, failing.Answers, failing.Ids);
        var openUntil = failing.Shown.GetProperty("circuit_open_until").GetDateTimeOffset();

        // Hold the endpoint's row, as a slow or busy database would: the host can still claim and send, but the
        // outcome of the probe that follows the break cannot be written until this transaction ends.
        await using var connection = new Npgsql.NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var hold = await connection.BeginTransactionAsync();
        await using (var select = new Npgsql.NpgsqlCommand("SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR NO KEY UPDATE", connection, hold))
        {
            select.Parameters.Add(new() { Value = endpoint });
            await select.ExecuteScalarAsync();
        }
        int Probes() => answers.Count(a => a.At >= openUntil);
        await HookTestHelpers.WaitFor(() => Probes() >= 1, "a probe after the break", seconds: 15);
        await Infrastructure.Api.Eventually(async () => await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM webhook_endpoints%FOR NO KEY UPDATE%' AND pid <> pg_backend_pid()") > 0,
            TimeSpan.FromSeconds(10), "the failed probe's outcome waits for the endpoint's row");
        // Retries are due every 100 ms and the claim polls as often: a second probe would come within a few of them.
        // (What must not happen has no condition to wait for: the receiver reports a second probe the moment it
        // arrives, and none may within 1.5 s.)
        try
        {
            await failing.When(() => Probes() >= 2).WaitAsync(TimeSpan.FromSeconds(1.5));
            Assert.Fail($"{Probes()} probes reached the endpoint before the first one's failure was recorded");
        }
        catch (TimeoutException)
        {
        }

        await hold.RollbackAsync();
        failing.Recover();
        await HookTestHelpers.WaitFor(() => ids.All(id => answers.Any(a => a.Id == id && a.Status == 200)), "once recorded, the circuit breaks again and then every message arrives", seconds: 20);
    }

    /// <summary>A receiver that answers 500 until recovered, an endpoint to it, and five messages that opened its circuit.</summary>
    private sealed class FailingEndpoint : IAsyncDisposable
    {
        private WebhookReceiver _receiver = null!;
        private bool _failing = true;
        private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];

        public HttpClient Client { get; private init; } = null!;
        public Guid Endpoint { get; private set; }
        public ConcurrentQueue<(DateTimeOffset At, string Id, int Status)> Answers { get; } = new();
        public List<string> Ids { get; } = [];
        /// <summary>The endpoint as the API showed it once its circuit was open.</summary>
        public System.Text.Json.JsonElement Shown { get; private set; }

        public static async Task<FailingEndpoint> OpenCircuitAsync(CircuitFactory factory)
        {
            var (client, workspace) = await factory.CreateWorkspaceAsync();
            var e = new FailingEndpoint { Client = client };
            e._receiver = await WebhookReceiver.StartAsync((_, response) =>
            {
                response.StatusCode = Volatile.Read(ref e._failing) ? 500 : 200;
                e.Answers.Enqueue((DateTimeOffset.UtcNow, response.HttpContext.Request.Headers["webhook-id"].ToString(), response.StatusCode));
                e.CheckWaiters();
                return Task.CompletedTask;
            });
            (e.Endpoint, _) = await client.CreateEndpoint(new { url = e._receiver.Url, event_types = new[] { "lifecycle.event" } });
            for (var i = 0; i < 5; i++)
                e.Ids.Add((await factory.WriteTransition(workspace, $"acc-{i}", "lifecycle.event", "upgraded", null, "2026-01-01T00:00:00.000Z", 50)).ToString());
            await Infrastructure.Api.Eventually(async () =>
                (e.Shown = await (await client.GetAsync($"/api/webhooks/{e.Endpoint}")).Json(System.Net.HttpStatusCode.OK)).TryGetProperty("circuit_open_until", out _),
                TimeSpan.FromSeconds(10), "three failures open the circuit");
            return e;
        }

        /// <summary>Completes once <paramref name="condition"/> holds; checked now and as each answer arrives.</summary>
        public Task When(Func<bool> condition)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters) _waiters.Add((condition, done));
            CheckWaiters();
            return done.Task;
        }

        private void CheckWaiters()
        {
            lock (_waiters)
                foreach (var (condition, done) in _waiters)
                    if (condition()) done.TrySetResult();
        }

        /// <summary>From now on the receiver answers 200.</summary>
        public void Recover() => Volatile.Write(ref _failing, false);

        public ValueTask DisposeAsync() => _receiver.DisposeAsync();
    }
}
