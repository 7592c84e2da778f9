using System.Diagnostics;
using Npgsql;

namespace OrleansSignals.Bench.Exports;

/// <summary>
/// Seeds one workspace straight with SQL (the API would take hours for 10M transitions): history rows
/// shaped like the ones account turns write, and accounts with insight states and traits.
/// </summary>
public sealed class Seeder(NpgsqlDataSource dataSource)
{
    private const long Chunk = 1_000_000;
    private static readonly TimeSpan Span = TimeSpan.FromDays(30);

    /// <summary>
    /// <paramref name="rows"/> transitions spread evenly over the 30 days from <paramref name="start"/>,
    /// over <paramref name="accounts"/> accounts. Ids are UUIDv7 built from the timestamp, as
    /// <c>Guid.CreateVersion7</c> gives them, so the primary key grows in order as in production.
    /// </summary>
    public async Task HistoryAsync(string workspace, DateTimeOffset start, long rows, int accounts, IReadOnlyList<string> insights)
    {
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            for (var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc); month < (start + Span).UtcDateTime; month = month.AddMonths(1))
            {
                await using var create = new NpgsqlCommand(
                    $"CREATE TABLE IF NOT EXISTS history_p{month:yyyyMM} PARTITION OF history FOR VALUES FROM ('{month:yyyy-MM-dd}') TO ('{month.AddMonths(1):yyyy-MM-dd}')",
                    connection);
                await create.ExecuteNonQueryAsync();
            }
        }
        var watch = Stopwatch.StartNew();
        for (long from = 0; from < rows; from += Chunk)
        {
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO history (id, workspace_id, account_id, occurred_at, type, key, old_value, new_value, health_score, recorded_at)
                SELECT (lpad(to_hex((extract(epoch FROM t.at) * 1000)::bigint), 12, '0') || '7' || substr(h.md5, 1, 3) || '8' || substr(h.md5, 4, 15))::uuid,
                       $1,
                       'acct-' || lpad((i * 7919 % $5)::text, 6, '0'),
                       t.at,
                       CASE WHEN i % 10 < 3 THEN 'insight.triggered' WHEN i % 10 < 5 THEN 'insight.resolved'
                            WHEN i % 10 < 8 THEN 'health_score.changed' ELSE 'lifecycle.event' END,
                       CASE WHEN i % 10 < 5 THEN ($6::text[])[1 + i % array_length($6::text[], 1)]
                            WHEN i % 10 < 8 THEN NULL
                            ELSE (ARRAY['upgraded', 'downgraded', 'seat_added', 'renewed', 'churned'])[1 + i % 5] END,
                       CASE WHEN i % 10 < 3 THEN 'false'::jsonb WHEN i % 10 < 5 THEN 'true'::jsonb
                            WHEN i % 10 < 8 THEN to_jsonb(i * 31 % 101) ELSE NULL END,
                       CASE WHEN i % 10 < 3 THEN 'true'::jsonb WHEN i % 10 < 5 THEN 'false'::jsonb
                            WHEN i % 10 < 8 THEN to_jsonb(i * 37 % 101) ELSE NULL END,
                       (i * 37 % 101)::int,
                       t.at + interval '40 milliseconds'
                FROM generate_series($3::bigint, $4::bigint - 1) i,
                     LATERAL (SELECT $2::timestamptz + (i::float8 * $7 / $8) * interval '1 second' AS at) t,
                     LATERAL (SELECT md5(i::text || $1) AS md5) h
                """);
            insert.Parameters.Add(new() { Value = workspace });
            insert.Parameters.Add(new() { Value = start });
            insert.Parameters.Add(new() { Value = from });
            insert.Parameters.Add(new() { Value = Math.Min(from + Chunk, rows) });
            insert.Parameters.Add(new() { Value = accounts });
            insert.Parameters.Add(new() { Value = insights.ToArray() });
            insert.Parameters.Add(new() { Value = Span.TotalSeconds });
            insert.Parameters.Add(new() { Value = (double)rows });
            insert.CommandTimeout = 0;
            await insert.ExecuteNonQueryAsync();
            Console.Error.WriteLine($"  history: {Math.Min(from + Chunk, rows):N0} rows ({watch.Elapsed.TotalSeconds:0} s)");
        }
        await AnalyzeAsync("history");
    }

    /// <summary>Accounts, each with a state for every insight (a third active) and two traits.</summary>
    public async Task AccountsAsync(string workspace, int accounts, IReadOnlyList<string> insights, DateTimeOffset start)
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO accounts (workspace_id, account_id, etag, state, health_score, config_version, updated_at)
            SELECT $1, 'acct-' || lpad(i::text, 6, '0'), 1,
                   jsonb_build_object(
                       'insights', (SELECT jsonb_object_agg(k, CASE WHEN (i + n) % 3 = 0
                                        THEN jsonb_build_object('active', true, 'since', $3::timestamptz + (i % 1000) * interval '1 minute')
                                        ELSE jsonb_build_object('active', false) END)
                                    FROM unnest($2::text[]) WITH ORDINALITY u(k, n)),
                       'traits', jsonb_build_object('plan', (ARRAY['free', 'pro', 'enterprise'])[1 + i % 3], 'seats', i % 50)),
                   (i * 37 % 101)::int, 1, now()
            FROM generate_series(0, $4 - 1) i
            """);
        insert.Parameters.Add(new() { Value = workspace });
        insert.Parameters.Add(new() { Value = insights.ToArray() });
        insert.Parameters.Add(new() { Value = start });
        insert.Parameters.Add(new() { Value = accounts });
        insert.CommandTimeout = 0;
        await insert.ExecuteNonQueryAsync();
        await AnalyzeAsync("accounts");
    }

    private async Task AnalyzeAsync(string table)
    {
        await using var analyze = dataSource.CreateCommand($"VACUUM ANALYZE {table}");
        analyze.CommandTimeout = 0;
        await analyze.ExecuteNonQueryAsync();
    }
}
