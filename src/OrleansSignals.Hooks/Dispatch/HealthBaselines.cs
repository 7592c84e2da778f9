using System.Globalization;
using Npgsql;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// The per-(endpoint, account) health baselines (<c>webhook_health_baselines</c>) one fan-out reads, applies in
/// event order and writes back, all in the fan-out's transaction: fan-out runs on one host at a time, so
/// no two routers move the same baseline.
/// </summary>
public sealed class HealthBaselines
{
    private readonly Dictionary<(Guid Endpoint, string Account), int> _scores;
    private readonly HashSet<(Guid Endpoint, string Account)> _changed = [];

    private HealthBaselines(Dictionary<(Guid, string), int> scores) => _scores = scores;

    /// <summary>Reads the baselines of the given pairs (those not stored are absent).</summary>
    public static async Task<HealthBaselines> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<(Guid Endpoint, string Account)> pairs, CancellationToken cancellationToken)
    {
        var scores = new Dictionary<(Guid, string), int>();
        if (pairs.Count == 0) return new HealthBaselines(scores);
        await using var command = new NpgsqlCommand("""
            SELECT b.endpoint_id, b.account_id, b.score
            FROM webhook_health_baselines b JOIN unnest($1::uuid[], $2::text[]) AS p(endpoint_id, account_id)
                 ON p.endpoint_id = b.endpoint_id AND p.account_id = b.account_id
            FOR UPDATE OF b
            """, connection, tx);
        command.Parameters.Add(new() { Value = pairs.Select(p => p.Endpoint).ToArray() });
        command.Parameters.Add(new() { Value = pairs.Select(p => p.Account).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) scores[(reader.GetGuid(0), reader.GetString(1))] = reader.GetInt32(2);
        return new HealthBaselines(scores);
    }

    /// <summary>
    /// Whether a health_score.changed event (already past the endpoint's types and filters) goes to the
    /// endpoint; moves the baseline. Call in event order.
    /// </summary>
    public bool Route(EndpointRoute endpoint, HookEvent e, int defaultThreshold)
    {
        if (e.AccountId is not { } account || !int.TryParse(e.NewValue, CultureInfo.InvariantCulture, out var score)) return false;
        int? old = int.TryParse(e.OldValue, CultureInfo.InvariantCulture, out var o) ? o : null;
        var key = (endpoint.Id, account);
        int? baseline = _scores.TryGetValue(key, out var b) ? b : null;
        var (drop, rise) = HealthThreshold.For(endpoint, defaultThreshold);
        var (send, next) = HealthThreshold.Decide(baseline, old, score, drop, rise);
        if (baseline != next)
        {
            _scores[key] = next;
            _changed.Add(key);
        }
        return send;
    }

    /// <summary>Writes the baselines this router moved.</summary>
    public async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_changed.Count == 0) return;
        await using var command = new NpgsqlCommand("""
            INSERT INTO webhook_health_baselines (endpoint_id, account_id, score, updated_at)
            SELECT u.endpoint_id, u.account_id, u.score, $4 FROM unnest($1::uuid[], $2::text[], $3::int[]) AS u(endpoint_id, account_id, score)
            ON CONFLICT (endpoint_id, account_id) DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at
            """, connection, tx);
        command.Parameters.Add(new() { Value = _changed.Select(k => k.Endpoint).ToArray() });
        command.Parameters.Add(new() { Value = _changed.Select(k => k.Account).ToArray() });
        command.Parameters.Add(new() { Value = _changed.Select(k => _scores[k]).ToArray() });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
