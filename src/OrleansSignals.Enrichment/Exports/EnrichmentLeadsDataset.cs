using Npgsql;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Enrichment.Exports;

/// <summary><c>enrichment-leads</c>: the workspace's consolidated leads (current state), one row per batch item.</summary>
public sealed class EnrichmentLeadsDataset(NpgsqlDataSource dataSource) : IExportDataset
{
    private static readonly ParquetSchema Columns = new(
        new ParquetColumn("lead_id", ParquetType.Int64, Nullable: false),
        new ParquetColumn("batch_id", ParquetType.String, Nullable: false),
        new ParquetColumn("source_line", ParquetType.Int64, Nullable: false),
        new ParquetColumn("first_name", ParquetType.String),
        new ParquetColumn("last_name", ParquetType.String),
        new ParquetColumn("full_name", ParquetType.String),
        new ParquetColumn("email", ParquetType.String),
        new ParquetColumn("email_verified", ParquetType.Boolean, Nullable: false),
        new ParquetColumn("linkedin_url", ParquetType.String),
        new ParquetColumn("company", ParquetType.String),
        new ParquetColumn("company_normalized", ParquetType.String),
        new ParquetColumn("title", ParquetType.String));

    public string Name => "enrichment-leads";

    public bool Ranged => false;

    public ParquetSchema Schema(ExportScope scope) => Columns;

    public NpgsqlCommand Rows(ExportScope scope) => Bind(dataSource.CreateCommand("""
        SELECT batch_item_id, batch_id::text, source_line::bigint, first_name, last_name, full_name, email, email_verified, linkedin_url, company,
               company_normalized, title
        FROM final_leads WHERE workspace_id = $1
        ORDER BY batch_item_id
        """), scope);

    public NpgsqlCommand Count(ExportScope scope) => Bind(dataSource.CreateCommand("SELECT count(*) FROM final_leads WHERE workspace_id = $1"), scope);

    private static NpgsqlCommand Bind(NpgsqlCommand command, ExportScope scope)
    {
        command.Parameters.Add(new() { Value = scope.WorkspaceId });
        return command;
    }
}
