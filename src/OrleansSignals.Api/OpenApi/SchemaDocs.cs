using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Schedules;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Enrichment.Batches;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Delivery;
using OrleansSignals.Signals.Pipeline;
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
    private static readonly string[] Datasets =
        ["events", "insight-snapshot", "lifecycle-event-history", "signals", "pipeline-runs", "enrichment-leads", "person-work-history"];
    private static readonly string[] RunStatuses = [PipelineWords.Pending, PipelineWords.Running, PipelineWords.Completed, PipelineWords.Failed];
    private static readonly string[] BatchStatuses =
        [BatchStatus.Pending, BatchStatus.Running, BatchStatus.Completed, BatchStatus.Failed, BatchStatus.Cancelled];

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
        ["SignalDefinition.source"] = SignalVocabulary.Sources,
        ["SignalDefinition.condition_operator"] = [.. SignalVocabulary.Operators.Keys],
        ["SignalDefinition.level"] = SignalVocabulary.Levels,
        ["SignalDefinition.origin"] = SignalVocabulary.Origins,
        ["DeliveryConfig.destination_type"] = DestinationTypes.All,
        ["PipelineRun.status"] = RunStatuses,
        ["PipelineRun.trigger"] = [PipelineWords.Scheduled, PipelineWords.Manual],
        ["PipelineStep.status"] = [.. RunStatuses, PipelineWords.Skipped],
        ["PipelineStep.step"] = PipelineWords.Steps,
        ["DefinitionOutcome.status"] = [PipelineWords.Completed, PipelineWords.Failed],
        ["UnsubscribeForm.List-Unsubscribe"] = ["One-Click"],
        ["UnsubscribeForm.action"] = ["resubscribe"],
        ["BatchView.status"] = BatchStatuses,
        ["Accepted.status"] = BatchStatuses,
        ["Cancelled.status"] = BatchStatuses,
        ["ResultView.status"] = ["succeeded", "retrying", "failed"],
        ["SignalDeliveryView.status"] = ["pending", "delivered", "failed", "skipped"],
        ["SignalDeliveryView.destination_type"] = DestinationTypes.All,
        ["Customer.kind"] = ["name", "domain"],
        ["ProviderView.method"] = ["POST", "PUT"],
    };

    /// <summary>
    /// Schema names, where two types share a name: the signal pipeline's <c>DeliveryView</c> (an occurrence at one
    /// destination) and its list are not the webhook delivery and its list, and its <c>DefinitionList</c> is not the
    /// insights' one; the first schema of a name would otherwise document both.
    /// </summary>
    public static string SchemaName(Type type) =>
        type == typeof(global::OrleansSignals.Signals.Delivery.DeliveryView) ? "SignalDeliveryView"
        : type == typeof(Signals.SignalsApi.DeliveryList) ? "SignalDeliveryList"
        : type == typeof(Signals.SignalDefinitionsApi.DefinitionList) ? "SignalDefinitionList"
        : type.Name;

    public static OpenApiOptions WithSchemaNames(this OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = info =>
            SchemaName(info.Type) is var name && name != info.Type.Name ? name : OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        return options;
    }

    /// <summary>Closed sets of query parameters, by name.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterEnums = new Dictionary<string, IReadOnlyList<string>>
    {
        ["GET /api/accounts sort"] = AccountQueries.Sorts,
        ["GET /api/accounts/{id}/history type"] = EventTypes.Transitions,
        ["GET /api/webhooks/{id}/deliveries status"] = DeliveryStatuses,
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
        ["compression"] = "Compression: `none` or `gzip` for CSV and JSON Lines (the whole file); Parquet also `snappy`, `zstd` and `brotli` (its pages, inside the file). Default none.",
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
        // Signals: definitions, occurrences, scores, deliveries, pipeline runs (docs/signals.md).
        ["SignalDefinition.type"] = "The signal's id, unique in the workspace (1-64 of a-z, 0-9, _, - and .).",
        ["SignalDefinition.name"] = "A name for people (defaults to `type`).",
        ["SignalDefinition.source"] = "What is counted: `events` (default), events named `event_name` from the workspace's event store; `insight`, triggers of the insight `event_name`; `posthog`, events named `event_name` in the workspace's PostHog (PUT /api/integrations/posthog), counted by a HogQL query.",
        ["SignalDefinition.event_name"] = "The event's name (source `events`) or the insight's key (source `insight`).",
        ["SignalDefinition.condition_operator"] = "How the count over the window compares with `condition_value`. Required for `events`; `insight` defaults to gte.",
        ["SignalDefinition.condition_value"] = "The threshold the count is compared with. Required for `events`; `insight` defaults to 1.",
        ["SignalDefinition.time_window_days"] = "The window the count is taken over, in days (1-365). Required for `events`; `insight` defaults to 7. A subject is stored at most once per window.",
        ["SignalDefinition.level"] = "The subject: `account` (default) or `person` (an account and the `person_id` of its events; not for `insight`).",
        ["SignalDefinition.is_active"] = "Whether the pipeline evaluates it (default true; a candidate is inactive until promoted).",
        ["SignalDefinition.origin"] = "Who defined it: `customer` (default) or `agent` (a candidate).",
        ["SignalOccurrence.id"] = "The occurrence's id; also the `webhook-id` of its `signal.detected` hook.",
        ["SignalOccurrence.type"] = "The signal definition's type.",
        ["SignalOccurrence.account_id"] = "The account that met the condition (for person level, the person's account).",
        ["SignalOccurrence.person_id"] = "The person that met the condition; absent for account-level signals.",
        ["SignalOccurrence.value"] = "The count that met the condition over the window.",
        ["SignalOccurrence.detected_at"] = "The cutoff of the run that found it (its `as_of`).",
        ["SignalOccurrence.window_start"] = "Start of the window the count was taken over.",
        ["SignalOccurrence.window_end"] = "End of the window the count was taken over (the cutoff).",
        ["SignalOccurrence.run_id"] = "The pipeline run that found it.",
        ["SignalAggregate.type"] = "The signal definition's type.",
        ["SignalAggregate.run_id"] = "The pipeline run that scored it.",
        ["SignalAggregate.as_of"] = "The run's cutoff.",
        ["SignalAggregate.outcome_event"] = "The outcome event scored against; absent for a trait outcome, and when no outcome was configured (then only `matched` is recorded).",
        ["SignalAggregate.outcome_trait"] = "The trait outcome scored against (`{\"name\", \"equals\" | \"gte\" | \"lte\"}`); absent for an event outcome or without one.",
        ["SignalAggregate.outcome"] = "What converting meant in this run, readable: `upgraded within 30 days`, `plan = enterprise within 30 days`; absent without an outcome.",
        ["SignalAggregate.outcome_days"] = "Days after the window in which the outcome counts; absent without an outcome.",
        ["SignalAggregate.matched"] = "Accounts the condition matched over the window ending `outcome_days` before the cutoff (without an outcome: the window up to the cutoff).",
        ["SignalAggregate.matched_converted"] = "Of the matched accounts, those that reached the outcome (had the event; or their trait changed to a matching value) in the `outcome_days` after the window.",
        ["SignalAggregate.rest"] = "The workspace's other accounts.",
        ["SignalAggregate.rest_converted"] = "Of the other accounts, those that reached the outcome in the same period.",
        ["SignalAggregate.conversion_matched"] = "`matched_converted` / `matched`, 0-1.",
        ["SignalAggregate.conversion_rest"] = "`rest_converted` / `rest`, 0-1.",
        ["SignalAggregate.lift"] = "`conversion_matched` / `conversion_rest`; above 1, matched accounts convert better.",
        ["SignalAggregate.lift_low"] = "Lower bound of the lift's 95% interval (log method); absent when a group has no conversion.",
        ["SignalAggregate.lift_high"] = "Upper bound of the lift's 95% interval (log method); absent when a group has no conversion.",
        ["SignalAggregate.z"] = "z statistic of a two-proportion z-test (pooled rate).",
        ["SignalAggregate.p_value"] = "Two-sided p-value of the z-test.",
        ["SignalAggregate.promoted"] = "Whether this run promoted the candidate (made it active).",
        ["SignalAggregate.error"] = "Why the score query failed; the definition was skipped for this run.",
        ["ScoringSettings.outcome_event"] = "The event name that counts as converting (1-200 characters). Exactly one of `outcome_event` and `outcome_trait`.",
        ["ScoringSettings.outcome_trait"] = "A trait reaching a value counts as converting: `{\"name\": \"plan\", \"equals\": \"enterprise\"}` or `{\"name\": \"mrr\", \"gte\": 1000}`. Exactly one of `outcome_event` and `outcome_trait`.",
        ["TraitOutcome.name"] = "The account trait (1-200 characters).",
        ["TraitOutcome.equals"] = "Converts when the trait changes to this value (a string, number or boolean, compared as JSON). Exactly one of `equals`, `gte`, `lte`.",
        ["TraitOutcome.gte"] = "Converts when the trait changes to a number at least this, from one that was not (or from unset).",
        ["TraitOutcome.lte"] = "Converts when the trait changes to a number at most this, from one that was not (or from unset).",
        ["ScoringSettings.outcome_days"] = "Days after a signal's window in which the outcome counts (1-365, default 30).",
        ["ScoringSettings.min_support"] = "Matched accounts a candidate needs before it can be promoted (default 30).",
        ["DeliveryConfig.id"] = "The config's id.",
        ["DeliveryConfig.signal_type"] = "The signal type delivered, or `*` for every type.",
        ["DeliveryConfig.destination_type"] = "Where occurrences go: `webhook` and `slack` (the `signal.detected` hook to endpoints in that format), `attio_list` (an Attio list), `posthog_cohort` (a static PostHog cohort; person-level signals).",
        ["DeliveryConfig.destination_config"] = "The destination's settings: `{}` for webhook and slack; `{\"list_id\": ..., \"object\": \"companies\" (default) or \"people\"}` for attio_list; `{\"cohort_id\": 12}` for posthog_cohort.",
        ["DeliveryConfig.is_active"] = "Whether occurrences are delivered through it (default true).",
        ["SignalDeliveryView.config_id"] = "The delivery config that sent it there.",
        ["SignalDeliveryView.destination_type"] = "The destination's kind.",
        ["SignalDeliveryView.destination"] = "The destination, for people (such as the Attio list's id).",
        ["SignalDeliveryView.status"] = "`delivered` (see `delivered_at`); `failed` (see `error` and `attempts`); `skipped`: the destination is not configured (no Attio key, no PostHog integration, or no active webhook endpoint subscribed to `signal.detected` in that format), `error` says which; `pending`: not yet sent.",
        ["SignalDeliveryView.attempts"] = "Attempts made so far.",
        ["SignalDeliveryView.delivered_at"] = "When it was delivered; absent until then.",
        ["SignalDeliveryView.error"] = "Why it failed or was skipped.",
        ["SignalDeliveryView.updated_at"] = "When its status last changed.",
        ["SignalDeliveryList.signal_id"] = "The occurrence.",
        ["SignalDefinitionList.items"] = "The workspace's signal definitions, active or not.",
        ["SignalDeliveryList.items"] = "One row per destination configured for the occurrence's type.",
        ["PipelineRun.id"] = "The run's id.",
        ["PipelineRun.workspace_id"] = "The workspace.",
        ["PipelineRun.run_key"] = "`scheduled:<local date>` for the day's scheduled run (one per day and workspace); a manual run's key of its own.",
        ["PipelineRun.trigger"] = "`scheduled` (the daily run) or `manual` (POST /api/pipeline/runs).",
        ["PipelineRun.status"] = "Where the run stands.",
        ["PipelineRun.as_of"] = "The cutoff: events up to this time are evaluated (the scheduled instant, or when a manual run was asked for).",
        ["PipelineRun.started_at"] = "When a host started working it.",
        ["PipelineRun.finished_at"] = "When it completed or failed.",
        ["PipelineRun.attempts"] = "Times it was started after an unexpected error; at 3 it fails.",
        ["PipelineRun.error"] = "Why the run failed.",
        ["PipelineRun.steps"] = "The steps, in order: evaluate, score, deliver, notify (runs created before notify existed have the first three).",
        ["PipelineRun.definitions"] = "How each definition's evaluation went.",
        ["PipelineStep.step"] = "The step's name.",
        ["PipelineStep.status"] = "Where the step stands.",
        ["PipelineStep.counts"] = "What the step counted, by name (such as occurrences stored, deliveries made).",
        ["PipelineStep.started_at"] = "When the step started.",
        ["PipelineStep.finished_at"] = "When the step completed or failed.",
        ["PipelineStep.duration_ms"] = "Time spent, in milliseconds, summed over resumed slices.",
        ["PipelineStep.error"] = "Why the step failed; on a completed notify step, the recipients the mail server refused.",
        ["PipelineStep.reason"] = "Why a `skipped` step had nothing to do (notify: digest disabled, nothing new, no recipients, mail not configured).",
        ["DefinitionOutcome.type"] = "The signal definition's type.",
        ["DefinitionOutcome.status"] = "`completed`, or `failed` (the definition was skipped; the others ran).",
        ["DefinitionOutcome.matched"] = "Subjects that met the condition.",
        ["DefinitionOutcome.stored"] = "New occurrences stored (subjects already announced within the window are not stored again).",
        ["DefinitionOutcome.duration_ms"] = "Time its evaluation took, in milliseconds.",
        ["DefinitionOutcome.error"] = "Why it failed (a query error or the 60 s timeout).",
        ["ScheduleView.time"] = "Local time of day of the daily run, HH:mm (default 06:00).",
        ["ScheduleView.time_zone"] = "IANA time zone of `time` (default UTC); the run follows daylight saving time.",
        ["ScheduleView.enabled"] = "Whether the daily run happens (default true).",
        ["NotificationSettings.digest_enabled"] = "Whether each run mails its digest (default true); a run with nothing new never does.",
        ["NotificationSettings.recipients"] = "The admin addresses the digest goes to (at most 50); none by default.",
        ["NotificationSettings.unsubscribed"] = "Addresses that followed a digest's unsubscribe link: not mailed, even when listed, until they subscribe again through it. Read-only.",
        ["NotificationsRequest.digest_enabled"] = "Whether each run mails its digest; left out: unchanged.",
        ["NotificationsRequest.recipients"] = "Bare mail addresses (ops@acme.com), at most 50, each once; they replace the list. Left out: unchanged.",
        ["UnsubscribedAddress.address"] = "The address, in lower case.",
        ["UnsubscribedAddress.unsubscribed_at"] = "When it unsubscribed.",
        ["UnsubscribeForm.List-Unsubscribe"] = "`One-Click` (RFC 8058, as mail providers send it, and as the page's button does): unsubscribe.",
        ["UnsubscribeForm.action"] = "`resubscribe`: the recipient gets the digest again.",
        // Enrichment: batches, audit log, consolidation, providers, customers, leads (docs/enrichment.md).
        ["Accepted.id"] = "The batch's id.",
        ["Accepted.status"] = "The batch's status (`pending` on upload).",
        ["Accepted.items"] = "Items of the batch: one per data row of the CSV.",
        ["Cancelled.id"] = "The batch's id.",
        ["Cancelled.status"] = "The batch's status after the cancel.",
        ["BatchView.id"] = "The batch's id.",
        ["BatchView.status"] = "`completed` when at least one item succeeded every step, `failed` when none did.",
        ["BatchView.steps"] = "Provider names, in the order each item runs through them.",
        ["BatchView.file_name"] = "The uploaded file's name, when it had one.",
        ["BatchView.item_count"] = "Items of the batch: one per data row of the CSV.",
        ["BatchView.items"] = "Items counted by state: pending, running, succeeded, failed, cancelled.",
        ["BatchView.step_states"] = "Item-steps counted by state: pending, running, succeeded, failed, skipped (an earlier step failed), cancelled.",
        ["BatchView.progress"] = "Item-steps done out of all.",
        ["BatchView.error"] = "Why the batch failed.",
        ["BatchView.created_at"] = "When it was uploaded.",
        ["BatchView.started_at"] = "When it started running.",
        ["BatchView.finished_at"] = "When it completed, failed or was cancelled.",
        ["BatchView.consolidated_at"] = "When it was last consolidated; absent before.",
        ["BatchView.consolidation"] = "The last consolidation's report; absent before the first.",
        ["Progress.done"] = "Item-steps in a final state.",
        ["Progress.total"] = "Item-steps in all (items times steps).",
        ["Progress.percent"] = "`done` / `total`, in percent to one decimal (100 when there are none).",
        ["ConsolidationReport.items"] = "Items of the batch read.",
        ["ConsolidationReport.results"] = "Audit-log rows read.",
        ["ConsolidationReport.leads"] = "Leads written (`final_leads`).",
        ["ConsolidationReport.work_history_rows"] = "Work-history rows written (`person_work_history`).",
        ["ConsolidationReport.seconds"] = "How long the consolidation took, in seconds.",
        ["ConsolidationReport.unmapped"] = "Paths present in responses that the provider's mapping does not read, per provider and path: add them to the mapping and consolidate again.",
        ["ConsolidationReport.invalid"] = "Mapped values that could not be used (such as a date that is not a date), per provider and path.",
        ["PathCount.provider"] = "The provider.",
        ["PathCount.path"] = "The dotted JSON path in its responses.",
        ["PathCount.count"] = "Responses where it occurred.",
        ["ResultView.id"] = "The attempt's id; the order it was recorded in.",
        ["ResultView.item_id"] = "The item (one row of the upload).",
        ["ResultView.line"] = "The item's line in the CSV.",
        ["ResultView.step"] = "The step, from 1, in the batch's `steps`.",
        ["ResultView.provider"] = "The provider called.",
        ["ResultView.attempt"] = "The attempt's number for this item and step, from 1.",
        ["ResultView.status"] = "`succeeded`; `retrying`: a retry followed; `failed`: no retry followed.",
        ["ResultView.http_status"] = "The provider's HTTP status; absent when no answer came (timeout, network error).",
        ["ResultView.json_payload"] = "The provider's answer as it came, when it was JSON.",
        ["ResultView.error"] = "What went wrong with the attempt.",
        ["ResultView.duration_ms"] = "How long the call took, in milliseconds.",
        ["ResultView.received_at"] = "When the attempt was recorded.",
        ["ProviderRequest.name"] = "The provider's name, used in `steps` of uploads (lower-case letters, digits, - and _); the same name again replaces it.",
        ["ProviderView.name"] = "The provider's name, used in `steps` of uploads.",
        ["ProviderRequest.url"] = "The http or https endpoint each item is sent to as a JSON body.",
        ["ProviderView.url"] = "The http or https endpoint each item is sent to as a JSON body.",
        ["ProviderRequest.method"] = "POST (default) or PUT.",
        ["ProviderView.method"] = "The HTTP method: POST or PUT.",
        ["ProviderRequest.headers"] = "HTTP headers sent with every call (such as Authorization): stored encrypted, never shown again.",
        ["ProviderView.header_names"] = "Names of the headers sent with every call; their values are never shown.",
        ["ProviderRequest.rate_limit_per_minute"] = "Most calls per minute, per silo (1-60,000, default 600).",
        ["ProviderView.rate_limit_per_minute"] = "Most calls per minute, per silo.",
        ["ProviderRequest.concurrency"] = "Most calls in flight at once (1-64, default 4).",
        ["ProviderView.concurrency"] = "Most calls in flight at once.",
        ["ProviderRequest.timeout_ms"] = "Time allowed per attempt, in milliseconds (100-120,000, default 10,000).",
        ["ProviderView.timeout_ms"] = "Time allowed per attempt, in milliseconds.",
        ["ProviderRequest.mapping"] = "Where consolidation reads each field in the answers: field -> dotted path or list of paths (first present wins); overrides the default shape field by field.",
        ["ProviderView.mapping"] = "Fields read from the answers by paths other than the default ones: field -> paths, first present wins.",
        ["Customer.value"] = "The customer company as given.",
        ["Customer.kind"] = "Whether it was read as a company name or a domain.",
        ["Customer.name_normalized"] = "The key it matches on: the normalized company name, or a domain's registrable label (\"Stripe, Inc.\" and stripe.com are both `stripe`).",
        ["CustomerList.customers"] = "The workspace's customer companies.",
        ["CustomersRequest.customers"] = "Company names or domains, 1-500 characters each, at most 10,000; they replace the list.",
        ["LeadView.id"] = "The lead's id (its batch item).",
        ["LeadView.batch_id"] = "The batch it came from.",
        ["LeadView.source_line"] = "Its line in the uploaded CSV.",
        ["LeadView.first_name"] = "First name: the newest provider value, else the uploaded one.",
        ["LeadView.last_name"] = "Last name: the newest provider value, else the uploaded one.",
        ["LeadView.full_name"] = "Full name as a provider gave it.",
        ["LeadView.email"] = "Email address: a verified one beats an unverified one however new.",
        ["LeadView.email_verified"] = "Whether a provider said the email is verified.",
        ["LeadView.linkedin_url"] = "LinkedIn profile URL.",
        ["LeadView.company"] = "Current company: the newest provider value, else the current work-history entry, else the uploaded one.",
        ["LeadView.title"] = "Current job title.",
        ["LeadView.customer_matches"] = "Past stints at the workspace's customer companies; only with `worked_at_customer=true`.",
        ["CustomerMatch.customer"] = "The customer company as you gave it.",
        ["CustomerMatch.company_name"] = "The company as the provider spelled it.",
        ["CustomerMatch.title"] = "The person's title there.",
        ["CustomerMatch.start_date"] = "When the stint started (YYYY-MM-DD); absent when unknown.",
        ["CustomerMatch.end_date"] = "When the stint ended (YYYY-MM-DD); absent when it could not be read.",
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
        var name = SchemaName(System.Nullable.GetUnderlyingType(type) ?? type);
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
    /// <summary>Closed sets of query parameters, keyed by "METHOD /route name": a name means different things on different routes.</summary>
    public static void Parameters(OpenApiOperation operation, string operationName)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.Schema is not OpenApiSchema schema) continue;
            if (parameter.In == ParameterLocation.Query && ParameterEnums.TryGetValue($"{operationName} {parameter.Name}", out var values))
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            if (parameter.Name is "limit" or "health_lt" or "health_gt")
            {
                schema.Type = JsonSchemaType.Integer;
                schema.Format = "int32";
            }
        }
    }
}
