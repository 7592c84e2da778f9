using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Signals;
using OrleansSignals.Signals.Pipeline;

namespace OrleansSignals.Api.Signals;

/// <summary>
/// The daily pipeline: <c>POST /api/pipeline/runs</c> starts a run now (one at a time per workspace),
/// <c>GET /api/pipeline/runs/{id}</c> and <c>/latest</c> show runs step by step, <c>/api/pipeline/schedule</c> sets
/// when the daily run is due.
/// </summary>
public static class PipelineApi
{
    public sealed record ScheduleView(string Time, string TimeZone, bool Enabled);

    public static RouteGroupBuilder MapPipelineApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/pipeline").WithTags("Pipeline");
        group.MapPost("/runs", StartAsync);
        group.MapGet("/runs/latest", LatestAsync);
        group.MapGet("/runs/{id:guid}", GetAsync);
        group.MapGet("/schedule", GetScheduleAsync);
        group.MapPut("/schedule", SetScheduleAsync).Accepts<ScheduleView>("application/json");
        return api;
    }

    public static async Task<Results<Accepted<PipelineRun>, ProblemHttpResult>> StartAsync(
        HttpContext http, PipelineRunStore runs, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        if (await runs.CreateManualAsync(workspace, time.GetUtcNow(), cancellationToken) is not { } run)
            return TypedResults.Problem(detail: "A pipeline run of this workspace is pending or running; GET /api/pipeline/runs/latest shows it.",
                statusCode: StatusCodes.Status409Conflict, title: "A run is in progress.");
        await grains.GetGrain<IPipelineGrain>(workspace).RunSoonAsync();
        return TypedResults.Accepted($"/api/pipeline/runs/{run.Id}", await runs.GetAsync(workspace, run.Id, cancellationToken) ?? run);
    }

    public static async Task<Results<Ok<PipelineRun>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, PipelineRunStore runs, CancellationToken cancellationToken) =>
        await runs.GetAsync(http.WorkspaceId(), id, cancellationToken) is { } run ? TypedResults.Ok(run) : ApiProblems.NotFound($"No pipeline run {id}.");

    public static async Task<Results<Ok<PipelineRun>, ProblemHttpResult>> LatestAsync(HttpContext http, PipelineRunStore runs, CancellationToken cancellationToken) =>
        await runs.LatestAsync(http.WorkspaceId(), cancellationToken) is { } run ? TypedResults.Ok(run) : ApiProblems.NotFound("This workspace has no pipeline run yet.");

    public static async Task<Ok<ScheduleView>> GetScheduleAsync(HttpContext http, PipelineScheduleStore schedules, CancellationToken cancellationToken) =>
        TypedResults.Ok(View(await schedules.GetAsync(http.WorkspaceId(), cancellationToken)));

    /// <summary><c>{"time": "HH:mm", "time_zone": IANA name, "enabled"}</c>; fields left out keep their value.</summary>
    public static async Task<Results<Ok<ScheduleView>, ValidationProblem>> SetScheduleAsync(
        HttpContext http, PipelineScheduleStore schedules, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var workspace = http.WorkspaceId();
        var current = await schedules.GetAsync(workspace, cancellationToken);
        var f = new JsonFields(body, ["time", "time_zone", "enabled"]);
        var time = current.Time;
        if (f.String("time") is { } text && !TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
            f.Fail("time", "must be a time of day as HH:mm, such as 06:00");
        var zone = f.String("time_zone") ?? current.TimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) f.Fail("time_zone", $"'{zone}' is not a time zone (an IANA name such as Europe/Paris)");
        var enabled = f.Boolean("enabled") ?? current.Enabled;
        if (f.Errors.Count > 0) return ApiProblems.Invalid(f.Errors);
        var schedule = new PipelineSchedule(time, zone, enabled);
        await schedules.SetAsync(workspace, schedule, cancellationToken);
        await grains.GetGrain<IPipelineGrain>(workspace).RunSoonAsync();
        return TypedResults.Ok(View(schedule));
    }

    private static ScheduleView View(PipelineSchedule s) => new(s.Time.ToString("HH:mm", CultureInfo.InvariantCulture), s.TimeZone, s.Enabled);
}
