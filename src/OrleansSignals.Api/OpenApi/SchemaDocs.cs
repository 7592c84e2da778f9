using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Schedules;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.OpenApi;

/// <summary>
/// Descriptions of every field, the values of every closed set (as <c>enum</c>), and which fields may be absent: the
/// API leaves null fields out, so a nullable field is optional in every schema. A field is described by
/// "{Schema}.{field}" when its meaning depends on the schema, otherwise by its name alone.
/// </summary>
public static class SchemaDocs
{
    private static readonly string[] ExportStatuses = ["pending", "running", "completed", "failed"];
    private static readonly string[] DeliveryStatuses = ["pending", "delivered", "dead"];
    private static readonly string[] Datasets = ["events", "insight-snapshot", "lifecycle-event-history"];

    /// <summary>Closed sets, by "{Schema}.{field}" or field name; for a list, the set of its items.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Enums = new Dictionary<string, IReadOnlyList<string>>
    {
        ["InsightDefinition.kind"] = InsightKinds.All,
        ["InsightDefinition.operator"] = Operators.All,
        ["InsightDefinition.source"] = MetricSources.All,
        ["InsightDefinition.direction"] = AnomalyDirections.All,
        ["HealthComponent.type"] = HealthComponentTypes.All,
        ["HealthComponent.source"] = MetricSources.All,
        ["HistoryEntry.type"] = EventTypes.Transitions,
        ["WebhookRequest.event_types"] = EventTypes.All,
        ["WebhookEndpoint.event_types"] = EventTypes.All,
        ["DeliveryView.type"] = EventTypes.All,
        ["WebhookRequest.format"] = ["standard", "slack"],
        ["WebhookEndpoint.format"] = ["standard", "slack"],
        ["DeliveryView.status"] = DeliveryStatuses,
        ["ExportRequest.dataset"] = Datasets,
        ["ScheduleRequest.dataset"] = Datasets,
        ["ExportRunResponse.dataset"] = Datasets,
        ["ScheduleResponse.dataset"] = Datasets,
        ["format"] = ExportFormats.FormatNames,
        ["compression"] = ExportFormats.CompressionNames,
        ["cadence"] = ExportPeriods.CadenceNames,
        ["ExportDestinationSpec.type"] = ExportDestinationTypes,
        ["ExportRunResponse.status"] = ExportStatuses,
        ["ScheduledRun.status"] = ExportStatuses,
        ["HealthStatus.status"] = ["ok", "unavailable"],
    };

    /// <summary>Closed sets of query parameters, by name.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterEnums = new Dictionary<string, IReadOnlyList<string>>
    {
        ["sort"] = AccountQueries.Sorts,
        ["type"] = EventTypes.Transitions,
        ["status"] = DeliveryStatuses,
    };

    private static IReadOnlyList<string> ExportDestinationTypes => OrleansSignals.Exports.Destinations.ExportDestinationSpec.TypeNames;

    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["accepted"] = "Events stored by this request.",
        ["duplicates"] = "Events whose `event_id` was stored before (or repeated in the batch): not stored again.",
        ["account_id"] = "The account's id in your system (1-200 characters).",
        ["accounts"] = "Only transitions of these accounts (at most 1,000 ids).",
        ["active"] = "Whether the insight holds for the account now.",
        ["active_keys"] = "Active (not revoked) API keys of the workspace.",
        ["api_key"] = "The API key (`sk_...`), shown this once: store it.",
        ["at"] = "UTC time of day of each run, HH:mm.",
        ["attempt_count"] = "Attempts made so far.",
        ["attempted_at"] = "When the attempt was made.",
        ["attempts"] = "Every attempt, oldest first.",
        ["backfill_since"] = "On creation: also send the transitions recorded since this time.",
        ["base"] = "The score before components (0-100).",
        ["bucket"] = "S3 bucket (s3 destinations only).",
        ["bytes"] = "Size in bytes.",
        ["cadence"] = "How often the schedule runs; each run exports the period before it.",
        ["circuit_open_until"] = "Deliveries pause until this time after repeated failures.",
        ["completed_at"] = "When the run completed or failed.",
        ["components"] = "Weighted parts added to the base score.",
        ["compression"] = "Compression of the files (`brotli`: Parquet only). Default none.",
        ["consecutive_failures"] = "Failed deliveries in a row.",
        ["created_at"] = "When it was created.",
        ["current"] = "Whether this is the key of the request.",
        ["dataset"] = "What to export.",
        ["date"] = "The UTC day.",
        ["days"] = "A number of days (the inactivity period; the recency or activity window).",
        ["UsageReport.days"] = "Delivered messages per day with any.",
        ["delivered"] = "Hook messages delivered.",
        ["delivered_at"] = "When it was delivered.",
        ["description"] = "Free text for people (at most 2,000 characters).",
        ["destination"] = "Where the files go: `local` (the server's export folder) or `s3` (a bucket). Default local.",
        ["detail"] = "What went wrong with this request and what to do.",
        ["deviation_pct"] = "Anomaly: how far (in %) the latest value must stray from its trailing mean.",
        ["direction"] = "Anomaly: which way counts (default any).",
        ["disabled_at"] = "When the endpoint was disabled.",
        ["disabled_reason"] = "Why the endpoint was disabled.",
        ["enabled"] = "Whether messages are sent to the endpoint (default true).",
        ["endpoint_id"] = "The webhook endpoint.",
        ["error"] = "What went wrong.",
        ["errors"] = "Each bad field (a JSON path such as `[3].timestamp`, or a query parameter) and what is wrong with it.",
        ["event"] = "An event name.",
        ["StoredEvent.event"] = "The event's name.",
        ["IncomingEventDocument.event"] = "The event's name (1-200 characters).",
        ["event_id"] = "The event's id in your system (1-200 characters); a retry with the same id is not stored twice.",
        ["TestSent.event_id"] = "The id of the test message (its `webhook-id`).",
        ["DeliveryView.event_id"] = "The message's id (its `webhook-id`): the transition's id.",
        ["event_types"] = "Message types the endpoint receives.",
        ["failing_since"] = "Since when deliveries have been failing.",
        ["files"] = "The files written (parts).",
        ["filters"] = "Narrow which transitions the endpoint receives.",
        ["format"] = "File format.",
        ["WebhookRequest.format"] = "Message format: Standard Webhooks JSON (default) or a Slack message.",
        ["WebhookEndpoint.format"] = "Message format: Standard Webhooks JSON or a Slack message.",
        ["from"] = "Start of the range (inclusive, ISO 8601).",
        ["UsageReport.from"] = "First UTC day.",
        ["headers"] = "Extra HTTP headers sent with every message (at most 1,000; not the signing headers).",
        ["health_drop_gte"] = "Only health_score.changed transitions that drop at least this many points (1-100).",
        ["health_rise_gte"] = "Only health_score.changed transitions that rise at least this many points (1-100).",
        ["health_score"] = "The account's health score, 0-100.",
        ["HistoryEntry.health_score"] = "The account's health score after the transition.",
        ["id"] = "The id.",
        ["insight"] = "An insight key.",
        ["insights"] = "The account's insights by key.",
        ["WebhookFilters.insights"] = "Only transitions of these insights.",
        ["instance"] = "The request's path.",
        ["items"] = "The page's items.",
        ["key"] = "The insight's key (a-z, 0-9, _; 1-64 characters).",
        ["HistoryEntry.key"] = "What the transition is about: the insight key or the lifecycle event name.",
        ["kind"] = "How the insight is evaluated; decides which other fields apply.",
        ["last_error"] = "The last attempt's error.",
        ["last_run"] = "The schedule's latest run.",
        ["StoredEvent.properties"] = "The event's free-form data, as it was sent.",
        ["latency_ms"] = "How long the endpoint took to answer.",
        ["lifecycle"] = "Last occurrence of each event name the account has sent.",
        ["location"] = "Where the file is, relative to the destination: the path within the workspace's export folder, or the s3:// URL.",
        ["manifest"] = "Path of the run's manifest (written last).",
        ["max"] = "Metric component: the value that scores the full weight.",
        ["min"] = "Metric component: the value that scores nothing.",
        ["min_change"] = "Points the score must move before a health_score.changed transition is recorded (default 5).",
        ["name"] = "A name for people (1-200 characters).",
        ["new_value"] = "The value after the transition.",
        ["next_attempt_at"] = "When the next attempt is due.",
        ["next_cursor"] = "Pass as `cursor` for the next page; absent on the last page.",
        ["next_run_at"] = "When the schedule runs next.",
        ["occurred_at"] = "When the transition happened.",
        ["old_value"] = "The value before the transition.",
        ["operator"] = "How the counted or measured value compares to `value`.",
        ["ordered"] = "Deliver this endpoint's messages one at a time, in order.",
        ["path"] = "The file's path within the destination.",
        ["person_id"] = "The person who did it, in your system (optional).",
        ["prefix"] = "First part of the files' paths (default `exports`; relative, at most 200 characters).",
        ["ApiKeyInfo.prefix"] = "The key's first characters, to recognise it.",
        ["CreatedKey.prefix"] = "The key's first characters, to recognise it.",
        ["previous_secret_expires_at"] = "The old secret signs alongside the new one until then.",
        ["progress"] = "Share of the run done, 0-1.",
        ["properties"] = "Free-form data of the event (a JSON object, at most 32 KB).",
        ["property"] = "The event property or trait that is measured.",
        ["rate_limit_per_second"] = "Most messages per second sent to the endpoint.",
        ["received_at"] = "When the API received the event.",
        ["resent"] = "Messages queued again.",
        ["response_excerpt"] = "The start of the endpoint's answer.",
        ["revoked_at"] = "When the key was revoked.",
        ["rows"] = "Rows written.",
        ["schedule_id"] = "The schedule that queued the run.",
        ["secret"] = "The signing secret (`whsec_` + base64); generated when left out.",
        ["sha256"] = "SHA-256 of the file, hex.",
        ["since"] = "Since when.",
        ["InsightStatus.since"] = "Since when the insight has held (or stopped holding).",
        ["RecoverRequest.since"] = "Send again every message since this time (ISO 8601).",
        ["source"] = "Where the measured value comes from: an event property or a trait.",
        ["started_at"] = "When a worker started the run.",
        ["status"] = "The status.",
        ["HttpValidationProblemDetails.status"] = "The HTTP status code.",
        ["status_code"] = "The HTTP status the endpoint answered.",
        ["target"] = "Activity component: events in the window that score the full weight.",
        ["timestamp"] = "When the event happened (ISO 8601 with a time zone).",
        ["title"] = "A short summary of the kind of problem.",
        ["to"] = "End of the range (exclusive, ISO 8601).",
        ["UsageReport.to"] = "Last UTC day.",
        ["traits"] = "The account's traits: free-form JSON values by name.",
        ["ExportRequest.traits"] = "insight-snapshot only: traits to add as `trait_{name}` columns (at most 50).",
        ["ScheduleRequest.traits"] = "insight-snapshot only: traits to add as `trait_{name}` columns (at most 50).",
        ["ExportRunResponse.traits"] = "Traits added as columns.",
        ["ScheduleResponse.traits"] = "Traits added as columns.",
        ["type"] = "The kind.",
        ["HistoryEntry.type"] = "The transition's type.",
        ["DeliveryView.type"] = "The message's type.",
        ["HealthComponent.type"] = "What the component scores.",
        ["ExportDestinationSpec.type"] = "The destination's kind.",
        ["HttpValidationProblemDetails.type"] = "A URI identifying the kind of problem.",
        ["updated_at"] = "When it last changed.",
        ["url"] = "Where messages are POSTed (http or https, at most 2,048 characters).",
        ["value"] = "The threshold compared with `operator`.",
        ["weight"] = "Points the component adds at most (negative: subtracts).",
        ["window_days"] = "The window, in days, that events are counted or averaged over.",
    };

    /// <summary>
    /// Request fields the API requires although their type allows null (so that a missing one is reported by name
    /// rather than failing to bind): required in the document.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Required = new Dictionary<string, string[]>
    {
        ["WebhookRequest"] = ["url", "event_types"],
        ["InsightDefinition"] = ["key", "kind"],
        ["ExportRequest"] = ["dataset", "format"],
        ["ScheduleRequest"] = ["dataset", "format", "cadence", "at"],
        ["HealthModel"] = ["base", "components"],
        ["HealthComponent"] = ["type", "weight"],
        ["RecoverRequest"] = ["since"],
        ["CreateWorkspace"] = ["name"],
    };

    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var name = (System.Nullable.GetUnderlyingType(type) ?? type).Name;
        if (schema.Properties is null) return Task.CompletedTask;
        if (Required.TryGetValue(name, out var required))
        {
            schema.Required ??= new HashSet<string>();
            foreach (var field in required) schema.Required.Add(field);
        }
        foreach (var (field, property) in schema.Properties)
        {
            var text = Fields.TryGetValue($"{name}.{field}", out var specific) ? specific : Fields.GetValueOrDefault(field);
            var values = Enums.TryGetValue($"{name}.{field}", out var own) ? own : Enums.GetValueOrDefault(field);
            switch (property)
            {
                case OpenApiSchema concrete:
                    concrete.Description ??= text;
                    if (values is not null)
                    {
                        var target = concrete.Items as OpenApiSchema ?? concrete;
                        target.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
                    }
                    break;
                case OpenApiSchemaReference reference:
                    reference.Description ??= text;
                    break;
            }
            // Null fields are left out of answers, and may be left out of requests: nullable means optional.
            if (schema.Required is { } requiredFields && IsNullable(property) && !(Required.GetValueOrDefault(name)?.Contains(field) ?? false))
                requiredFields.Remove(field);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Fields whose schema became a reference to another component (or a null-or-reference) only once every schema
    /// was made: described here, on the finished document.
    /// </summary>
    public static void DescribeReferences(OpenApiDocument document)
    {
        foreach (var (name, component) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (component is not OpenApiSchema { Properties: { } properties }) continue;
            foreach (var (field, property) in properties.ToList())
            {
                var text = Fields.TryGetValue($"{name}.{field}", out var specific) ? specific : Fields.GetValueOrDefault(field);
                // A reference's Description falls back to its target's, which is not written beside the $ref: set it always.
                if (property is OpenApiSchemaReference reference && text is not null) reference.Description = text;
                else if (property is OpenApiSchema { Description: null } concrete) concrete.Description = text;
            }
        }
    }

    private static bool IsNullable(IOpenApiSchema property) =>
        (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || (property.OneOf?.Any(s => s.Type is { } t && t.HasFlag(JsonSchemaType.Null)) ?? false);

    /// <summary>Query parameters: their closed sets, and whole numbers typed as such (they bind as text to name a bad one).</summary>
    public static void Parameters(OpenApiOperation operation)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.Schema is not OpenApiSchema schema) continue;
            if (ParameterEnums.TryGetValue(parameter.Name ?? "", out var values) && parameter.In == ParameterLocation.Query)
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            if (parameter.Name is "limit" or "health_lt" or "health_gt")
            {
                schema.Type = JsonSchemaType.Integer;
                schema.Format = "int32";
            }
        }
    }
}
