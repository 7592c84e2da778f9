using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Enrichment.Consolidation;

namespace OrleansSignals.Enrichment.Leads;

/// <summary>
/// Reads the projections only (<c>final_leads</c>, <c>person_work_history</c>, <c>enrichment_customers</c>), never
/// the JSON results. Keyset pages by lead id (the batch item id).
/// </summary>
public sealed class LeadQueries(NpgsqlDataSource dataSource)
{
    private const string LeadColumns = """
        l.batch_item_id, l.batch_id, l.source_line, l.first_name, l.last_name, l.full_name, l.email, l.email_verified, l.linkedin_url, l.company, l.title
        """;

    private const string Filters = """
        ($3::text IS NULL OR lower(l.email) = lower($3)) AND ($4::text IS NULL OR l.company_normalized = $4) AND ($5::uuid IS NULL OR l.batch_id = $5)
        """;

    public async Task<(List<LeadView> Leads, long? Next)> ListAsync(string workspaceId, LeadFilter filter, CancellationToken cancellationToken)
    {
        // The page is chosen from the partial index on former stints alone (an index-only scan per customer);
        // final_leads is joined for the page, and for the page's selection only when a lead filter asks for it.
        var leadFilter = filter.Email is not null || filter.Company is not null;
        var sql = filter.WorkedAtCustomer
            ? $"""
                WITH page AS (
                    SELECT DISTINCT h.batch_item_id
                    FROM enrichment_customers c
                    JOIN person_work_history h ON h.workspace_id = c.workspace_id AND h.company_name_normalized = c.name_normalized AND h.former
                    {(leadFilter ? "JOIN final_leads l ON l.batch_item_id = h.batch_item_id" : "")}
                    WHERE c.workspace_id = $1 AND h.batch_item_id > $2 AND ($5::uuid IS NULL OR h.batch_id = $5)
                          {(leadFilter ? "AND " + Filters : "")}
                    ORDER BY h.batch_item_id
                    LIMIT $6)
                SELECT {LeadColumns}, c.value, h.company_name, h.title, h.start_date, h.end_date
                FROM page p
                JOIN final_leads l ON l.batch_item_id = p.batch_item_id
                JOIN person_work_history h ON h.batch_item_id = p.batch_item_id AND h.former
                JOIN enrichment_customers c ON c.workspace_id = $1 AND c.name_normalized = h.company_name_normalized
                ORDER BY l.batch_item_id, h.start_date NULLS LAST, c.value
                """
            : $"""
                SELECT {LeadColumns}
                FROM final_leads l
                WHERE l.workspace_id = $1 AND l.batch_item_id > $2 AND {Filters}
                ORDER BY l.batch_item_id
                LIMIT $6
                """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = filter.After });
        command.Parameters.Add(new() { Value = (object?)filter.Email ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = filter.Company is null ? DBNull.Value : CompanyName.Normalize(filter.Company), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)filter.BatchId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = filter.Limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leads = new List<LeadView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (leads.Count == 0 || leads[^1].Id != id)
            {
                leads.Add(new LeadView(id, reader.GetGuid(1), reader.GetInt32(2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6),
                    reader.GetBoolean(7), Text(reader, 8), Text(reader, 9), Text(reader, 10), filter.WorkedAtCustomer ? new List<LeadView.CustomerMatch>() : null));
            }
            if (filter.WorkedAtCustomer)
            {
                ((List<LeadView.CustomerMatch>)leads[^1].CustomerMatches!).Add(new LeadView.CustomerMatch(reader.GetString(11), reader.GetString(12), Text(reader, 13),
                    reader.IsDBNull(14) ? null : reader.GetFieldValue<DateOnly>(14), reader.IsDBNull(15) ? null : reader.GetFieldValue<DateOnly>(15)));
            }
        }
        return (leads, leads.Count == filter.Limit ? leads[^1].Id : null);
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
