using Npgsql;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Signals.Exports;

/// <summary>
/// <c>pipeline-runs</c>: one row per step of each run created in the range: the run (id, key, trigger, status,
/// cutoff) and the step (status, duration, counts as JSON text, error, and why a skipped step was skipped).
/// </summary>
public sealed class PipelineRunsDataset(NpgsqlDataSource dataSource) : IExportDataset
{
    private static readonly ParquetSchema Columns = new(
        new ParquetColumn("run_id", ParquetType.String, Nullable: false),
        new ParquetColumn("run_key", ParquetType.String, Nullable: false),
        new ParquetColumn("trigger", ParquetType.String, Nullable: false),
        new ParquetColumn("run_status", ParquetType.String, Nullable: false),
        new ParquetColumn("as_of", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("created_at", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("finished_at", ParquetType.Timestamp),
        new ParquetColumn("step", ParquetType.String, Nullable: false),
        new ParquetColumn("step_status", ParquetType.String, Nullable: false),
        new ParquetColumn("duration_ms", ParquetType.Int64, Nullable: false),
        new ParquetColumn("counts", ParquetType.String, Nullable: false),
        new ParquetColumn("error", ParquetType.String),
        new ParquetColumn("reason", ParquetType.String));

    public string Name => "pipeline-runs";

    public bool Ranged => true;

    public ParquetSchema Schema(ExportScope scope) => Columns;

    public NpgsqlCommand Rows(ExportScope scope) => Range.Bind(dataSource.CreateCommand("""
        SELECT r.id::text, r.run_key, r.trigger, r.status, r.as_of, r.created_at, r.finished_at,
               s.step, s.status, s.duration_ms, s.counts::text, s.error, s.reason
        FROM pipeline_runs r JOIN pipeline_run_steps s ON s.run_id = r.id
        WHERE r.workspace_id = $1 AND r.created_at >= $2 AND r.created_at < $3
        ORDER BY r.created_at, r.id, s.ordinal
        """), scope);

    public NpgsqlCommand Count(ExportScope scope) => Range.Bind(dataSource.CreateCommand("""
        SELECT count(*) FROM pipeline_runs r JOIN pipeline_run_steps s ON s.run_id = r.id
        WHERE r.workspace_id = $1 AND r.created_at >= $2 AND r.created_at < $3
        """), scope);
}
