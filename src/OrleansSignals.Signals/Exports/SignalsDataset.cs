using Npgsql;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Signals.Exports;

/// <summary><c>signals</c>: the occurrences detected (<c>detected_at</c>, a run's cutoff) in the range; <c>id</c> is the <c>signal.detected</c> hook's id.</summary>
public sealed class SignalsDataset(NpgsqlDataSource dataSource) : IExportDataset
{
    private static readonly ParquetSchema Columns = new(
        new ParquetColumn("id", ParquetType.String, Nullable: false),
        new ParquetColumn("type", ParquetType.String, Nullable: false),
        new ParquetColumn("account_id", ParquetType.String, Nullable: false),
        new ParquetColumn("person_id", ParquetType.String),
        new ParquetColumn("value", ParquetType.Double, Nullable: false),
        new ParquetColumn("detected_at", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("window_start", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("window_end", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("run_id", ParquetType.String, Nullable: false));

    public string Name => "signals";

    public bool Ranged => true;

    public ParquetSchema Schema(ExportScope scope) => Columns;

    public NpgsqlCommand Rows(ExportScope scope) => Range.Bind(dataSource.CreateCommand("""
        SELECT id::text, type, account_id, person_id, value, detected_at, window_start, window_end, run_id::text
        FROM signals WHERE workspace_id = $1 AND detected_at >= $2 AND detected_at < $3
        ORDER BY detected_at, id
        """), scope);

    public NpgsqlCommand Count(ExportScope scope) => Range.Bind(dataSource.CreateCommand(
        "SELECT count(*) FROM signals WHERE workspace_id = $1 AND detected_at >= $2 AND detected_at < $3"), scope);
}
