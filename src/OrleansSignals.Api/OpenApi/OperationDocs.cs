using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrleansSignals.Api.OpenApi;

/// <summary>
/// What each operation does (summary and description, by method and route), the parameters it reads, and every error it
/// can answer. A route without an entry here fails <c>ApiReferenceTests</c>, so the reference never lags the API.
/// </summary>
public static class OperationDocs
{
    public static readonly IReadOnlyDictionary<string, (string Summary, string Description)> Operations = new Dictionary<string, (string, string)>
    {
        ["GET /healthz"] = ("Liveness", "200 while the process runs; no dependency is checked."),
        ["GET /readyz"] = ("Readiness", "200 once migrations ran and the host joined the cluster with PostgreSQL reachable; 503 otherwise."),
        ["POST /api/workspaces"] = ("Create a workspace", "Operator token. Creates a workspace and returns its first API key, shown this once."),
        ["GET /api/workspaces"] = ("List workspaces", "Operator token. Every workspace with its id, name and number of active keys."),
        ["POST /api/workspaces/{id}/api-keys"] = ("Issue a key for a workspace", "Operator token. The way back in for a workspace whose keys are lost; the key is shown this once."),
        ["GET /api/workspaces/{id}/api-keys"] = ("List a workspace's keys", "Operator token. Key ids, prefixes and names, never the keys themselves."),
        ["DELETE /api/workspaces/{id}/api-keys/{keyId}"] = ("Revoke a workspace's key", "Operator token. Refused (409) for the workspace's last active key."),
        ["GET /api/workspace"] = ("This workspace", "The workspace the API key belongs to."),
        ["GET /api/workspace/api-keys"] = ("List this workspace's keys", "Key ids, prefixes and names; `current` marks the key of this request."),
        ["POST /api/workspace/api-keys"] = ("Add a key", "A new key for this workspace (at most 20 active), shown this once. The body (`name`) is optional."),
        ["DELETE /api/workspace/api-keys/{id}"] = ("Revoke a key", "Refused (409) for the last active key, which would lock the workspace out."),
        ["POST /api/events"] = ("Ingest events", "A JSON array or NDJSON (`application/x-ndjson`), up to 10,000 events and 5 MB. All or nothing: one bad event and nothing is stored, and every problem is named by item and field. Idempotent by `event_id`. 202 once every event is durably stored and applied."),
        ["GET /api/health-model"] = ("The health model", "Base score plus weighted components, clamped to 0-100."),
        ["PUT /api/health-model"] = ("Replace the health model", "Every account is re-scored on its next turn."),
        ["GET /api/lifecycle-events"] = ("Lifecycle events", "Event names whose every occurrence is a `lifecycle.event` transition."),
        ["PUT /api/lifecycle-events"] = ("Replace the lifecycle events", "At most 200 names of 1-200 characters."),
        ["POST /api/deliveries/{id}/retry"] = ("Retry a delivery", "Sends a dead-lettered or pending hook delivery again at once."),
        ["GET /api/usage"] = ("Hook usage", "Delivered hook messages per UTC day between `from` and `to` (default: the last 30 days)."),
        ["GET /api/insights/definitions"] = ("List insight definitions", "The workspace's rules."),
        ["POST /api/insights/definitions"] = ("Define an insight", "409 when the key exists (PUT replaces it). Existing accounts are re-evaluated."),
        ["GET /api/insights/definitions/{key}"] = ("One insight definition", "404 when the workspace has no such key."),
        ["PUT /api/insights/definitions/{key}"] = ("Create or replace an insight definition", "The key in the body, when given, must match the URL's."),
        ["DELETE /api/insights/definitions/{key}"] = ("Delete an insight definition", "Accounts lose the insight on their next turn."),
        ["GET /api/accounts"] = ("List accounts", "Filtered by insight, health and traits (`trait.{name}={value}`, matched against the trait's JSON text), sorted by `sort`, one keyset page at a time. Reads checkpoints: a few seconds behind acknowledged events."),
        ["GET /api/accounts/{id}"] = ("An account's state", "Health score, insights, last occurrence of each event, traits; reflects every acknowledged event."),
        ["GET /api/accounts/{id}/history"] = ("An account's transitions", "Newest first; each id is the hook's `webhook-id` and the export's `id`."),
        ["GET /api/accounts/{id}/events"] = ("An account's raw events", "As they were stored, newest first by their timestamp, within `since` (inclusive) and `until` (exclusive)."),
        ["PUT /api/accounts/{id}/traits"] = ("Replace an account's traits", "The body becomes every trait of the account (creating the account if it was never seen). A value is at most 4 KB of JSON, all traits at most 64 KB (413)."),
        ["PATCH /api/accounts/{id}/traits"] = ("Merge into an account's traits", "JSON merge patch (RFC 7396): a trait set to null is removed, others are set, objects merge member by member. Creates the account if it was never seen. Same limits as PUT."),
        ["GET /api/webhooks"] = ("List webhook endpoints", "Every endpoint of the workspace, with its state (enabled, failing, circuit)."),
        ["POST /api/webhooks"] = ("Create a webhook endpoint", "Signed with Standard Webhooks; the secret is returned. Private and loopback destinations are refused unless the operator allows them."),
        ["GET /api/webhooks/{id}"] = ("One webhook endpoint", "404 names the id."),
        ["PUT /api/webhooks/{id}"] = ("Replace a webhook endpoint", "Every field as on creation, but `backfill_since`."),
        ["DELETE /api/webhooks/{id}"] = ("Delete a webhook endpoint", "Its pending deliveries are dropped."),
        ["POST /api/webhooks/{id}/test"] = ("Send a test event", "A signed `webhook.test` event for this endpoint only, sent at once."),
        ["GET /api/webhooks/{id}/deliveries"] = ("Delivery log", "Newest first, with every attempt (status, latency, excerpt of the answer)."),
        ["GET /api/webhooks/{id}/dead-letters"] = ("Dead letters", "Deliveries that ran out of attempts; retry them one by one or with recover."),
        ["POST /api/webhooks/{id}/rotate-secret"] = ("Rotate the signing secret", "The old secret keeps signing alongside the new one for 24 hours."),
        ["POST /api/webhooks/{id}/recover"] = ("Re-send since a time", "Queues again every message for this endpoint since `since`."),
        ["POST /api/datalake/exports"] = ("Start an export", "Runs on a worker; poll the run or wait for `export.completed`. An S3 destination needs S3 configured on the server."),
        ["GET /api/datalake/exports"] = ("List exports", "The workspace's 200 newest runs."),
        ["GET /api/datalake/exports/{id}"] = ("One export", "Status, progress, files (`location` relative to the destination) and any error."),
        ["DELETE /api/datalake/exports/{id}"] = ("Delete an export", "Removes its files, then its record; 409 while it runs."),
        ["GET /api/datalake/exports/{id}/download"] = ("Download an export", "One file as is (S3: a redirect to a presigned URL); several parts as one zip. 409 until completed."),
        ["POST /api/datalake/schedules"] = ("Schedule an export", "Each run exports the period before it (day, week or month), exactly once across hosts."),
        ["GET /api/datalake/schedules"] = ("List export schedules", "With each schedule's next run and its last run."),
        ["DELETE /api/datalake/schedules/{id}"] = ("Delete an export schedule", "Runs already queued or made are kept."),
        ["GET /api/signals/definitions"] = ("List signal definitions", "Every signal definition of the workspace, active or not, agent candidates included."),
        ["POST /api/signals/definitions"] = ("Define a signal", "A count of `event_name` events (source `events`, or `posthog`: the workspace's PostHog, through a HogQL query) or of triggers of an insight (source `insight`) per subject over `time_window_days`, compared with `condition_value`. Unknown fields are refused; nothing is stored on a 400. 409 when the type exists (PUT replaces it). An active definition runs from the next scheduled pipeline run."),
        ["GET /api/signals/definitions/{type}"] = ("One signal definition", "404 when the workspace has no definition of this type."),
        ["PUT /api/signals/definitions/{type}"] = ("Create or replace a signal definition", "The body may leave out `type`; when given it must match the URL's."),
        ["DELETE /api/signals/definitions/{type}"] = ("Delete a signal definition", "It no longer runs; occurrences already stored are kept."),
        ["POST /api/signals/candidates"] = ("Propose a candidate signal", "An agent's candidate: the body of a definition, stored with `origin: agent` and `is_active: false`. Each run scores it; it is promoted (made active) when `matched >= min_support`, `lift > 1` and `p_value < 0.05`. 409 when the type exists."),
        ["GET /api/signals"] = ("List signal occurrences", "Newest first by `detected_at` (the run's cutoff), filtered by `type`, `account_id` and `since`, one keyset page at a time (`limit` 1-1000, default 100)."),
        ["GET /api/signals/{id}"] = ("One signal occurrence", "404 when the workspace has no occurrence with this id."),
        ["GET /api/signals/{id}/deliveries"] = ("Where an occurrence was delivered", "One row per destination configured for its type: `delivered` (with `delivered_at`), `failed` (with `error` and `attempts`), `skipped` (not configured, with why) or `pending`."),
        ["GET /api/signals/aggregates"] = ("Signal scores", "Each definition's latest score against the outcome; with `type`, that definition's scores, newest first."),
        ["GET /api/signals/scoring"] = ("The scoring outcome", "The outcome (an event, or a trait reaching a value) definitions are scored against; 404 while none is configured."),
        ["PUT /api/signals/scoring"] = ("Set the scoring outcome", "Exactly one of `outcome_event` (an event name) and `outcome_trait` (`{\"name\": \"plan\", \"equals\": \"enterprise\"}`, or `gte`/`lte` a number), `outcome_days` (1-365, default 30) and `min_support` (1-1,000,000, default 30). Used from the next run on."),
        ["GET /api/signals/delivery-configs"] = ("List delivery configs", "Where the workspace's occurrences are delivered, per signal type (or `*`) and destination type."),
        ["POST /api/signals/delivery-configs"] = ("Configure a delivery", "One config per (signal type or `*`, destination type): 409 when it exists."),
        ["GET /api/signals/delivery-configs/{id}"] = ("One delivery config", "404 names the id."),
        ["PUT /api/signals/delivery-configs/{id}"] = ("Replace a delivery config", "Every field as on creation; 409 when another config has the same signal type and destination type."),
        ["DELETE /api/signals/delivery-configs/{id}"] = ("Delete a delivery config", "Occurrences are no longer delivered there."),
        ["PUT /api/integrations/attio"] = ("Set the Attio API key", "`{\"api_key\": \"...\"}`: an Attio access token with record and list-entry read-write scopes, used by `attio_list` deliveries. Never returned."),
        ["DELETE /api/integrations/attio"] = ("Remove the Attio API key", "`attio_list` deliveries are then skipped as not configured."),
        ["PUT /api/integrations/posthog"] = ("Set the PostHog integration", "`{\"host\": \"https://us.posthog.com\", \"project_id\": 123, \"api_key\": \"phx_...\"}` and how an event names the account: `account_group_index` (0-4, default 0: the key of that group type, `$group_N`) or `account_property` (a person property). A personal API key with query read and cohort write scopes; used by `posthog` definitions and `posthog_cohort` deliveries. Answers what is stored, without the key. A host on a private or loopback address is refused unless the operator allows it."),
        ["GET /api/integrations/posthog"] = ("The PostHog integration", "Host, project and account mapping; the key is never returned (`api_key_set`). 404 while none is set."),
        ["DELETE /api/integrations/posthog"] = ("Remove the PostHog integration", "`posthog` definitions then fail as not configured and `posthog_cohort` deliveries are skipped."),
        ["POST /api/pipeline/runs"] = ("Run the pipeline now", "202 with the run (`status: pending`), covering events up to now; the day's scheduled run still happens. 409 while a run of the workspace is pending or running."),
        ["GET /api/pipeline/runs/latest"] = ("The latest pipeline run", "With its steps and each definition's outcome; 404 while the workspace has no run."),
        ["GET /api/pipeline/runs/{id}"] = ("One pipeline run", "Status, steps (evaluate, score, deliver, notify) with their counts and durations, and each definition's outcome."),
        ["GET /api/pipeline/schedule"] = ("The pipeline schedule", "When the daily run happens: a local time in an IANA time zone (default 06:00 UTC)."),
        ["PUT /api/pipeline/schedule"] = ("Set the pipeline schedule", "`time` (HH:mm), `time_zone` (IANA name) and `enabled`; fields left out keep their value. The time follows daylight saving time."),
        ["GET /api/workspace/notifications"] = ("The digest's recipients", "Whether each pipeline run mails a digest (on by default), to which admin addresses (none by default: the notify step is skipped, saying so), and which addresses unsubscribed."),
        ["PUT /api/workspace/notifications"] = ("Set the digest's recipients", "`digest_enabled` and `recipients` (bare mail addresses, at most 50, each once; a bad one is named as `recipients[i]`); fields left out keep their value. An address that unsubscribed stays unsubscribed when listed: only its owner subscribes it again, through the digest's link."),
        ["GET /api/unsubscribe"] = ("Unsubscribe page", "No API key: the link in every digest, `token` signed by the server. Shows a page with a button that POSTs; following the link changes nothing (mail scanners follow links). 400 when the token was changed or has expired."),
        ["POST /api/unsubscribe"] = ("Unsubscribe from the digest", "No API key. `List-Unsubscribe=One-Click` (RFC 8058, what mail providers send for the `List-Unsubscribe-Post` header) stops the digest to the token's recipient from the next run on; `action=resubscribe` undoes it. 400 when the token was changed or has expired; nothing is changed then."),
        ["POST /api/enrichment/batches"] = ("Upload an enrichment batch", "multipart/form-data: `file` (an RFC 4180 CSV, at most 50 MB and 200,000 rows, else 413), `steps` (provider names in order: repeated fields, comma-separated or a JSON array) and optionally `mapping` (a JSON object, field -> CSV header). Stored whole or not at all; 202 once stored and started."),
        ["GET /api/enrichment/batches/{id}"] = ("One enrichment batch", "Status, items and item-steps counted by state, progress, and the consolidation report once consolidated."),
        ["GET /api/enrichment/batches/{id}/results"] = ("A batch's audit log", "Every provider attempt in the order it was recorded (failures included), optionally for one item, one keyset page at a time (`limit` 1-1000)."),
        ["POST /api/enrichment/batches/{id}/cancel"] = ("Cancel a batch", "Open item-steps become `cancelled` and calls in flight stop. 409 when the batch is already final."),
        ["POST /api/enrichment/batches/{id}/consolidate"] = ("Consolidate a batch", "Rebuilds the batch's leads and work history from its audit log under the providers' current mappings and answers the report. Deterministic: the same results and mappings give the same tables."),
        ["POST /api/enrichment/providers"] = ("Create or replace a provider", "An HTTP JSON endpoint that receives one item per call. 201 creates it; the same `name` again replaces it whole (200), headers included. Private network URLs are refused unless allowed by the operator."),
        ["GET /api/enrichment/providers"] = ("List providers", "With header names only: header values are stored encrypted and never shown."),
        ["DELETE /api/enrichment/providers/{name}"] = ("Delete a provider", "A running batch then fails the item-steps that still needed it."),
        ["PUT /api/enrichment/customers"] = ("Replace the customer companies", "`{\"customers\": [...]}`: company names (\"Stripe, Inc.\") or domains (\"stripe.com\"), at most 10,000; they replace the workspace's list."),
        ["GET /api/enrichment/customers"] = ("List the customer companies", "Each as given, whether read as a name or a domain, and the key it matches on."),
        ["GET /api/enrichment/leads"] = ("Query leads", "Consolidated leads, filtered by `worked_at_customer`, `email`, `company` and `batch_id` (filters combine), one keyset page at a time (`limit` 1-500, default 100)."),
    };

    /// <summary>Descriptions of query and path parameters, by name (the same name means the same thing on every route).</summary>
    public static readonly IReadOnlyDictionary<string, string> Parameters = new Dictionary<string, string>
    {
        ["id"] = "The resource's id, as the API returned it.",
        ["keyId"] = "The API key's id.",
        ["key"] = "The insight's key.",
        ["insight"] = "Only accounts where this insight is active.",
        ["health_lt"] = "Only accounts whose health score is below this.",
        ["health_gt"] = "Only accounts whose health score is above this.",
        ["limit"] = "Items per page (default 100 for accounts, 50 for deliveries).",
        ["cursor"] = "`next_cursor` of the previous page; omit for the first page.",
        ["sort"] = "Order of the list; a leading `-` is descending. Ties are broken by account id.",
        ["fields"] = "Comma-separated fields to return (`account_id` always is).",
        ["type"] = "Only transitions of this type.",
        ["since"] = "Only events at or after this ISO 8601 time.",
        ["until"] = "Only events before this ISO 8601 time.",
        ["status"] = "Only deliveries in this status.",
        ["from"] = "First UTC day (YYYY-MM-DD).",
        ["to"] = "Last UTC day (YYYY-MM-DD).",
        ["account_id"] = "Only occurrences of this account.",
        ["item_id"] = "Only the attempts of this item (the `item_id` of a result).",
        ["name"] = "The provider's name.",
        ["worked_at_customer"] = "`true`: only people who used to work at one of the workspace's customer companies (and are not there now), with `customer_matches`.",
        ["email"] = "Only leads with this email address (case-insensitive).",
        ["company"] = "Only leads whose current company is this one (any spelling: names meet on their normalized key).",
        ["batch_id"] = "Only leads of this batch.",
        ["token"] = "The signed token of the digest's unsubscribe link (workspace, recipient, expiry).",
    };

    /// <summary>Descriptions of parameters whose meaning differs on one operation, by "METHOD /route name".</summary>
    public static readonly IReadOnlyDictionary<string, string> OperationParameters = new Dictionary<string, string>
    {
        ["GET /api/signals type"] = "Only occurrences of this signal type.",
        ["GET /api/signals since"] = "Only occurrences detected at or after this ISO 8601 time.",
        ["GET /api/signals limit"] = "Items per page, 1-1000 (default 100).",
        ["GET /api/signals/aggregates type"] = "This signal type's scores, newest first, instead of each type's latest.",
        ["GET /api/signals/definitions/{type} type"] = "The signal definition's type.",
        ["PUT /api/signals/definitions/{type} type"] = "The signal definition's type.",
        ["DELETE /api/signals/definitions/{type} type"] = "The signal definition's type.",
        ["GET /api/enrichment/batches/{id}/results limit"] = "Items per page, 1-1000 (default 100).",
        ["GET /api/enrichment/leads limit"] = "Items per page, 1-500 (default 100).",
    };

    public static Task Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        // Without route constraints, as the document writes the path: /api/signals/{id:guid} is /api/signals/{id}.
        var route = System.Text.RegularExpressions.Regex.Replace("/" + (description.RelativePath ?? "").TrimEnd('/'), @"\{([^}:=?]+)[^}]*\}", "{$1}");
        var name = $"{description.HttpMethod} {route}";
        if (Operations.TryGetValue(name, out var docs))
        {
            operation.Summary = docs.Summary;
            operation.Description = docs.Description;
        }
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is not OpenApiParameter concrete) continue;
            if (OperationParameters.TryGetValue($"{name} {concrete.Name}", out var own)) concrete.Description ??= own;
            else if (Parameters.TryGetValue(concrete.Name ?? "", out var text)) concrete.Description ??= text;
        }
        SchemaDocs.Parameters(operation, name);
        if (route.StartsWith("/api/", StringComparison.Ordinal)) ErrorResponses.Add(operation, description.HttpMethod ?? "GET", route);
        // Routes that take no API key (the unsubscribe link's signed token authorises it) lift the document's bearer requirement.
        if (ErrorResponses.Anonymous.Contains(route)) operation.Security = [];
        return Task.CompletedTask;
    }
}
