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
    };

    public static Task Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var route = "/" + (description.RelativePath ?? "").TrimEnd('/');
        var name = $"{description.HttpMethod} {route}";
        if (Operations.TryGetValue(name, out var docs))
        {
            operation.Summary = docs.Summary;
            operation.Description = docs.Description;
        }
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter concrete && Parameters.TryGetValue(concrete.Name ?? "", out var text)) concrete.Description ??= text;
        }
        SchemaDocs.Parameters(operation);
        if (route.StartsWith("/api/", StringComparison.Ordinal)) ErrorResponses.Add(operation, description.HttpMethod ?? "GET", route);
        return Task.CompletedTask;
    }
}
