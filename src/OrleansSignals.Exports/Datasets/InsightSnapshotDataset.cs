using System.Text;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Datasets;

/// <summary>
/// <c>insight-snapshot</c>: the current state, one row per account and insight definition of the
/// workspace: whether the insight is active for the account (false when it was never evaluated),
/// since when (null then), the health score, and a <c>trait_{name}</c> column per trait asked for
/// (a JSON string as its text, any other JSON value as JSON text, null when the account lacks it).
/// </summary>
public sealed class InsightSnapshotDataset(NpgsqlDataSource dataSource) : IExportDataset
{
    public const string TraitPrefix = "trait_";

    public string Name => "insight-snapshot";

    public bool Ranged => false;

    public ParquetSchema Schema(ExportScope scope) => new(
        new ParquetColumn[]
        {
            new("snapshot_at", ParquetType.Timestamp, Nullable: false),
            new("account_id", ParquetType.String, Nullable: false),
            new("insight", ParquetType.String, Nullable: false),
            new("active", ParquetType.Boolean, Nullable: false),
            new("since", ParquetType.Timestamp),
            new("health_score", ParquetType.Int64, Nullable: false),
        }.Concat(scope.Traits.Select(t => new ParquetColumn(TraitPrefix + t, ParquetType.String))));

    public NpgsqlCommand Rows(ExportScope scope)
    {
        var sql = new StringBuilder("""
            SELECT $2::timestamptz, a.account_id, d.key,
                   coalesce((a.state #>> ARRAY['insights', d.key, 'active'])::boolean, false),
                   (a.state #>> ARRAY['insights', d.key, 'since'])::timestamptz,
                   a.health_score::bigint
            """);
        for (var i = 0; i < scope.Traits.Count; i++)
        {
            // $3 is the array of trait names; each column picks one.
            sql.Append($"""
                ,
                       CASE json_typeof(a.state -> 'traits' -> ($3::text[])[{i + 1}])
                           WHEN 'string' THEN a.state -> 'traits' ->> ($3::text[])[{i + 1}]
                           ELSE (a.state -> 'traits' -> ($3::text[])[{i + 1}])::text END
                """);
        }
        sql.Append("""

            FROM accounts a
            CROSS JOIN (SELECT DISTINCT d ->> 'key' AS key
                        FROM workspace_state w, jsonb_array_elements(w.state -> 'definitions') d
                        WHERE w.workspace_id = $1) d
            WHERE a.workspace_id = $1
            ORDER BY a.account_id, d.key
            """);
        var command = dataSource.CreateCommand(sql.ToString());
        command.Parameters.Add(new() { Value = scope.WorkspaceId });
        command.Parameters.Add(new() { Value = scope.SnapshotAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = scope.Traits.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    public NpgsqlCommand Count(ExportScope scope)
    {
        var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM accounts WHERE workspace_id = $1)
                 * (SELECT count(DISTINCT d ->> 'key') FROM workspace_state w, jsonb_array_elements(w.state -> 'definitions') d WHERE w.workspace_id = $1)
            """);
        command.Parameters.Add(new() { Value = scope.WorkspaceId });
        return command;
    }
}
