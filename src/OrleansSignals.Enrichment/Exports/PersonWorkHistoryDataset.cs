using Npgsql;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Enrichment.Exports;

/// <summary>
/// <c>person-work-history</c>: every consolidated stint (current state). Dates are ISO dates (<c>YYYY-MM-DD</c>)
/// as text, because a stint's dates are days, not instants. <c>former</c>: ended, and the person is not at that company now.
/// </summary>
public sealed class PersonWorkHistoryDataset(NpgsqlDataSource dataSource) : IExportDataset
{
    private static readonly ParquetSchema Columns = new(
        new ParquetColumn("lead_id", ParquetType.Int64, Nullable: false),
        new ParquetColumn("ordinal", ParquetType.Int64, Nullable: false),
        new ParquetColumn("batch_id", ParquetType.String, Nullable: false),
        new ParquetColumn("company_name", ParquetType.String, Nullable: false),
        new ParquetColumn("company_name_normalized", ParquetType.String, Nullable: false),
        new ParquetColumn("title", ParquetType.String),
        new ParquetColumn("start_date", ParquetType.String),
        new ParquetColumn("end_date", ParquetType.String),
        new ParquetColumn("is_current", ParquetType.Boolean, Nullable: false),
        new ParquetColumn("former", ParquetType.Boolean, Nullable: false));

    public string Name => "person-work-history";

    public bool Ranged => false;

    public ParquetSchema Schema(ExportScope scope) => Columns;

    public NpgsqlCommand Rows(ExportScope scope) => Bind(dataSource.CreateCommand("""
        SELECT batch_item_id, ordinal::bigint, batch_id::text, company_name, company_name_normalized, title,
               to_char(start_date, 'YYYY-MM-DD'), to_char(end_date, 'YYYY-MM-DD'), is_current, former
        FROM person_work_history WHERE workspace_id = $1
        ORDER BY batch_item_id, ordinal
        """), scope);

    public NpgsqlCommand Count(ExportScope scope) => Bind(dataSource.CreateCommand("SELECT count(*) FROM person_work_history WHERE workspace_id = $1"), scope);

    private static NpgsqlCommand Bind(NpgsqlCommand command, ExportScope scope)
    {
        command.Parameters.Add(new() { Value = scope.WorkspaceId });
        return command;
    }
}
