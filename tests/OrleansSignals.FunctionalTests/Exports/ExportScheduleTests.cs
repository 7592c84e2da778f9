using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSignals.Exports.Schedules;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Exports;

/// <summary>Scheduled exports: one run per period across hosts, and missed periods caught up.</summary>
public sealed class ExportScheduleTests
{
    private const string AdminToken = "schedule-admin-token-0123456789";

    [Fact]
    public async Task A_schedule_fires_once_per_period_with_two_hosts_running_the_clustered_job()
    {
        await using var database = await TestDatabase.CreateAsync();
        var root = Path.Combine(Path.GetTempPath(), "exports-2h-" + Guid.NewGuid().ToString("N")[..8]);
        (string, string)[] settings = [("Signals:Exports:LocalRoot", root), ("Signals:Exports:ScheduleInterval", "00:00:00.500"), ("Signals:Exports:PollInterval", "00:00:00.200")];
        await using var a = HostProcess.Start(database.ConnectionString, AdminToken, settings);
        await using var b = HostProcess.Start(database.ConnectionString, AdminToken, settings);
        await Task.WhenAll(a.WaitReadyAsync(TimeSpan.FromSeconds(60)), b.WaitReadyAsync(TimeSpan.FromSeconds(60)));
        try
        {
            var admin = new HttpClient { BaseAddress = new Uri(a.Url) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            var created = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Scheduled" })).Json(HttpStatusCode.Created);
            var client = new HttpClient { BaseAddress = new Uri(b.Url) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("api_key").GetString());

            // "00:00" daily: today's period has started, so it is due at once (it exports yesterday).
            var schedule = await (await client.PostAsJsonAsync("/api/datalake/schedules",
                new { dataset = "lifecycle-event-history", format = "parquet", compression = "gzip", cadence = "daily", at = "00:00" })).Json(HttpStatusCode.Created);
            var scheduleId = schedule.GetProperty("id").GetString()!;
            // Its first period has begun and has no run yet: due now.
            Assert.True(schedule.GetProperty("next_run_at").GetDateTimeOffset() <= DateTimeOffset.UtcNow, schedule.ToString());
            Assert.False(schedule.TryGetProperty("last_run", out _), schedule.ToString());

            await Infrastructure.Api.Eventually(async () =>
            {
                var list = await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK);
                return list.GetProperty("items").EnumerateArray().Any(r => r.GetProperty("status").GetString() == "completed");
            }, TimeSpan.FromSeconds(60), "the scheduled run to complete");
            // The clock keeps ticking, on whichever host: a schedule created now in another workspace gets its run
            // from a later tick, which saw this schedule's period taken and must not have run it again.
            var other = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "Witness" })).Json(HttpStatusCode.Created);
            var witness = new HttpClient { BaseAddress = new Uri(a.Url) };
            witness.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.GetProperty("api_key").GetString());
            await (await witness.PostAsJsonAsync("/api/datalake/schedules",
                new { dataset = "lifecycle-event-history", format = "csv", cadence = "daily", at = "00:00" })).Json(HttpStatusCode.Created);
            await Infrastructure.Api.Eventually(async () =>
            {
                var list = await (await witness.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK);
                return list.GetProperty("items").EnumerateArray().Any(r => r.GetProperty("status").GetString() == "completed");
            }, TimeSpan.FromSeconds(60), "a later tick runs the witness schedule");

            var runs = (await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            var run = Assert.Single(runs);
            Assert.Equal(scheduleId, run.GetProperty("schedule_id").GetString());
            var today = DateTime.UtcNow.Date;
            Assert.Equal(today.AddDays(-1), run.GetProperty("from").GetDateTimeOffset().UtcDateTime);
            Assert.Equal(today, run.GetProperty("to").GetDateTimeOffset().UtcDateTime);
            Assert.Contains($"/day={today.AddDays(-1):dd}/", run.GetProperty("files")[0].GetProperty("path").GetString());
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM export_schedule_periods WHERE schedule_id = $1::uuid", scheduleId));

            // The schedule says what it did last and when it runs next.
            var listed = (await (await client.GetAsync("/api/datalake/schedules")).Json(HttpStatusCode.OK)).GetProperty("items")[0];
            Assert.Equal(run.GetProperty("id").GetString(), listed.GetProperty("last_run").GetProperty("id").GetString());
            Assert.Equal("completed", listed.GetProperty("last_run").GetProperty("status").GetString());
            Assert.Equal(today.AddDays(1), listed.GetProperty("next_run_at").GetDateTimeOffset().UtcDateTime);
            // Deleting that run does not make the schedule look due again (and it is not: its period is taken).
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datalake/exports/{run.GetProperty("id").GetString()}")).StatusCode);
            var afterDelete = (await (await client.GetAsync("/api/datalake/schedules")).Json(HttpStatusCode.OK)).GetProperty("items")[0];
            Assert.False(afterDelete.TryGetProperty("last_run", out _), afterDelete.ToString());
            Assert.Equal(today.AddDays(1), afterDelete.GetProperty("next_run_at").GetDateTimeOffset().UtcDateTime);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Missed_periods_are_caught_up_after_downtime_one_run_each()
    {
        var factory = new ExportsFactory();
        await factory.InitializeAsync();
        try
        {
            var (client, _) = await factory.CreateWorkspaceAsync("Catch-up");
            await (await client.PostAsJsonAsync("/api/datalake/schedules",
                new { dataset = "events", format = "jsonl", compression = "gzip", cadence = "daily", at = "00:00" })).Json(HttpStatusCode.Created);
            await Infrastructure.Api.Eventually(async () => await Count(client) == 1, TimeSpan.FromSeconds(30), "the first period's run");

            // Three days pass with no run (as if every host were down); the next pass of the schedule
            // job (called here directly, on the moved clock) queues each missed day once, and a
            // second pass finds nothing more to do.
            factory.Clock.Advance(TimeSpan.FromDays(3));
            var scheduler = factory.Services.GetRequiredService<ExportScheduler>();
            await scheduler.RunDueAsync(CancellationToken.None);
            Assert.Equal(0, await scheduler.RunDueAsync(CancellationToken.None));
            var runs = (await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(4, runs.Count);
            Assert.Equal(4, runs.Select(r => r.GetProperty("from").GetDateTimeOffset()).Distinct().Count());
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_scheduled_snapshot_is_filed_under_the_day_it_is_taken()
    {
        var factory = new ExportsFactory();
        await factory.InitializeAsync();
        try
        {
            // Not a Monday: the weekly period started days earlier than the snapshot is taken.
            if (factory.Clock.GetUtcNow().DayOfWeek == DayOfWeek.Monday) factory.Clock.Advance(TimeSpan.FromDays(2));
            var today = factory.Clock.GetUtcNow().UtcDateTime;
            var (client, _) = await factory.CreateWorkspaceAsync("Snapshots");
            await (await client.PostAsJsonAsync("/api/datalake/schedules",
                new { dataset = "insight-snapshot", format = "csv", cadence = "weekly", at = "00:00" })).Json(HttpStatusCode.Created);
            await Infrastructure.Api.Eventually(async () => await Count(client) == 1, TimeSpan.FromSeconds(30), "the snapshot's run");
            var id = (await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetString()!;
            var run = await client.WaitForRunAsync(id);

            Assert.Equal("completed", run.GetProperty("status").GetString());
            Assert.Contains($"/year={today:yyyy}/month={today:MM}/day={today:dd}/", run.GetProperty("files")[0].GetProperty("path").GetString());
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    private static async Task<int> Count(HttpClient client) =>
        (await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength();
}
