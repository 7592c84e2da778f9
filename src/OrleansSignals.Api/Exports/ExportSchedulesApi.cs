using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Schedules;

namespace OrleansSignals.Api.Exports;

/// <summary>Recurring exports: <c>/api/datalake/schedules</c>. The clustered schedule job queues one run per period.</summary>
public static class ExportSchedulesApi
{
    public sealed record ScheduleResponse(
        Guid Id, string Dataset, string Format, string Compression, ExportDestinationSpec Destination, IReadOnlyList<string> Traits,
        string Cadence, string At, DateTimeOffset CreatedAt, DateTimeOffset NextRunAt, ScheduledRun? LastRun)
    {
        /// <param name="last">The newest period the schedule queued, and its run unless deleted.</param>
        /// <param name="now">The time of the answer: see <see cref="ExportSchedule.NextRunAt"/>.</param>
        public static ScheduleResponse Of(ExportSchedule s, (DateTimeOffset Period, ScheduledRun? Run)? last, DateTimeOffset now) => new(
            s.Id, s.Spec.Dataset, s.Spec.Format, s.Spec.Compression, s.Spec.Destination, s.Spec.Traits, s.Cadence.Name(), s.At.ToString("HH:mm"), s.CreatedAt,
            s.NextRunAt(last?.Period, now), last?.Run);
    }

    public sealed record ScheduleList(IReadOnlyList<ScheduleResponse> Items);

    public static RouteGroupBuilder MapExportSchedulesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/datalake/schedules").WithTags("Exports").WithMetadata(new Input.RouteResource("id", "export schedule"));
        group.MapPost("/", CreateAsync).Accepts<ScheduleRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return api;
    }

    public static async Task<Results<Created<ScheduleResponse>, ValidationProblem>> CreateAsync(
        HttpContext http, ExportDatasets datasets, ExportDestinations destinations, ExportScheduleStore schedules, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (request, bodyErrors) = await JsonBody.ReadAsync<ScheduleRequest>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var (spec, cadence, at, errors) = ExportRequestValidator.Validate(request!, datasets, destinations);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var schedule = await schedules.CreateAsync(http.WorkspaceId(), spec!, cadence, at, time.GetUtcNow(), cancellationToken);
        return TypedResults.Created($"/api/datalake/schedules/{schedule.Id}", ScheduleResponse.Of(schedule, null, time.GetUtcNow()));
    }

    public static async Task<Ok<ScheduleList>> ListAsync(HttpContext http, ExportScheduleStore schedules, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        var last = await schedules.LastPeriodsAsync(workspace, cancellationToken);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ScheduleList([.. (await schedules.ListAsync(workspace, cancellationToken))
            .Select(s => ScheduleResponse.Of(s, last.TryGetValue(s.Id, out var l) ? l : null, now))]));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext http, ExportScheduleStore schedules, CancellationToken cancellationToken) =>
        await schedules.DeleteAsync(http.WorkspaceId(), id, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"No export schedule '{id}'.");
}
