using Npgsql;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Datasets;

/// <summary><c>events</c>: the raw events with <c>occurred_at</c> in the range, as they were ingested; <c>properties</c> is JSON text.</summary>
public sealed class EventsDataset(NpgsqlDataSource dataSource) : IExportDataset
{
    private static readonly ParquetSchema Columns = new(
        new ParquetColumn("event_id", ParquetType.String, Nullable: false),
        new ParquetColumn("occurred_at", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("account_id", ParquetType.String, Nullable: false),
        new ParquetColumn("person_id", ParquetType.String),
        new ParquetColumn("event", ParquetType.String, Nullable: false),
        new ParquetColumn("received_at", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("properties", ParquetType.String));

    public string Name => "events";

    public bool Ranged => true;

    public ParquetSchema Schema(ExportScope scope) => Columns;

    public NpgsqlCommand Rows(ExportScope scope) => RangeParameters.Bind(dataSource.CreateCommand("""
        SELECT event_id, occurred_at, account_id, person_id, event, received_at, properties::text
        FROM events
        WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3
        """), scope);

    public NpgsqlCommand Count(ExportScope scope) => RangeParameters.Bind(dataSource.CreateCommand(
        "SELECT count(*) FROM events WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3"), scope);
}
