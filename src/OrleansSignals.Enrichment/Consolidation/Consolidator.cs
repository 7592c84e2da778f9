using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Enrichment.Batches;
using OrleansSignals.Enrichment.Providers;
using OrleansSignals.Storage;

namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>
/// The projector, sole writer of <c>final_leads</c> and <c>person_work_history</c>: replaces a batch's rows with
/// what its upload and its succeeded results say under the current mappings (<see cref="LeadMerger"/>). It reads
/// the audit log in one ordered pass and writes with binary COPY; each table is replaced in its own transaction
/// (two COPY streams cannot share a connection), the work history committed first.
/// </summary>
public sealed class Consolidator(NpgsqlDataSource dataSource, BatchStore batches, ProviderStore providers)
{
    public async Task<ConsolidationReport> ConsolidateAsync(Guid batchId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = await batches.FindAsync(null, batchId, cancellationToken) ?? throw new InvalidOperationException($"No batch {batchId}.");
        var merger = new LeadMerger(await providers.MappingsAsync(batch.WorkspaceId, batch.Steps, cancellationToken));

        await using var leadsConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var historyConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var leadsTx = await leadsConnection.BeginTransactionAsync(cancellationToken);
        await using var historyTx = await historyConnection.BeginTransactionAsync(cancellationToken);
        await Delete(leadsConnection, "final_leads", batchId, cancellationToken);
        await Delete(historyConnection, "person_work_history", batchId, cancellationToken);
        long items = 0, results = 0, historyRows = 0;
        await using (var leads = await leadsConnection.BeginBinaryImportAsync("""
            COPY final_leads (batch_item_id, workspace_id, batch_id, first_name, last_name, full_name, email, email_verified, linkedin_url, company,
                              company_normalized, title, source_line) FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        await using (var history = await historyConnection.BeginBinaryImportAsync("""
            COPY person_work_history (batch_item_id, ordinal, workspace_id, batch_id, company_name, company_name_normalized, title, start_date,
                                      end_date, is_current, former, source_result_id) FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            await foreach (var (person, itemResults, documents) in ReadAsync(batchId, cancellationToken))
            {
                items++;
                results += itemResults.Count;
                var (lead, entries) = merger.Merge(person, itemResults);
                await WriteLeadAsync(leads, lead, batch, cancellationToken);
                foreach (var entry in entries)
                {
                    historyRows++;
                    await WriteEntryAsync(history, entry, lead.ItemId, batch, cancellationToken);
                }
                foreach (var document in documents) document.Dispose();
            }
            await leads.CompleteAsync(cancellationToken);
            await history.CompleteAsync(cancellationToken);
        }
        await historyTx.CommitAsync(cancellationToken);
        await leadsTx.CommitAsync(cancellationToken);

        var report = new ConsolidationReport(items, results, items, historyRows, Stopwatch.GetElapsedTime(started).TotalSeconds,
            Counts(merger.Unmapped), Counts(merger.Invalid));
        await batches.SaveConsolidationAsync(batchId, JsonSerializer.Serialize(report, WireJson.Options), cancellationToken);
        return report;
    }

    /// <summary>Each item with its succeeded results, oldest first; one ordered query over the batch.</summary>
    private async IAsyncEnumerable<(UploadedPerson Person, List<ProviderResult> Results, List<JsonDocument> Documents)> ReadAsync(Guid batchId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT i.id, i.line, i.first_name, i.last_name, i.email, i.title, i.company, i.linkedin_url,
                   r.id, r.provider, r.received_at, r.json_payload::text
            FROM batch_items i
            LEFT JOIN enrichment_results r ON r.batch_item_id = i.id AND r.status = 'succeeded'
            WHERE i.batch_id = $1
            ORDER BY i.id, r.received_at, r.id
            """, connection);
        command.Parameters.Add(new() { Value = batchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        UploadedPerson? person = null;
        var list = new List<ProviderResult>();
        var documents = new List<JsonDocument>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var itemId = reader.GetInt64(0);
            if (person is not null && person.ItemId != itemId)
            {
                yield return (person, list, documents);
                (list, documents) = ([], []);
            }
            if (person?.ItemId != itemId)
            {
                person = new UploadedPerson(itemId, reader.GetInt32(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7));
            }
            if (!reader.IsDBNull(8))
            {
                var document = JsonDocument.Parse(reader.GetString(11));
                documents.Add(document);
                list.Add(new ProviderResult(reader.GetInt64(8), reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10), document.RootElement));
            }
        }
        if (person is not null) yield return (person, list, documents);
    }

    private static async Task WriteLeadAsync(NpgsqlBinaryImporter copy, Lead lead, BatchInfo batch, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(lead.ItemId, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(batch.WorkspaceId, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(batch.Id, NpgsqlDbType.Uuid, cancellationToken);
        await WriteText(copy, lead.FirstName, cancellationToken);
        await WriteText(copy, lead.LastName, cancellationToken);
        await WriteText(copy, lead.FullName, cancellationToken);
        await WriteText(copy, lead.Email, cancellationToken);
        await copy.WriteAsync(lead.EmailVerified, NpgsqlDbType.Boolean, cancellationToken);
        await WriteText(copy, lead.LinkedinUrl, cancellationToken);
        await WriteText(copy, lead.Company, cancellationToken);
        await WriteText(copy, lead.Company is null ? null : CompanyName.Normalize(lead.Company), cancellationToken);
        await WriteText(copy, lead.Title, cancellationToken);
        await copy.WriteAsync(lead.Line, NpgsqlDbType.Integer, cancellationToken);
    }

    private static async Task WriteEntryAsync(NpgsqlBinaryImporter copy, WorkEntry entry, long itemId, BatchInfo batch, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(itemId, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(entry.Ordinal, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(batch.WorkspaceId, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(batch.Id, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(entry.CompanyName, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(entry.CompanyNameNormalized, NpgsqlDbType.Text, cancellationToken);
        await WriteText(copy, entry.Title, cancellationToken);
        if (entry.StartDate is { } start) await copy.WriteAsync(start, NpgsqlDbType.Date, cancellationToken);
        else await copy.WriteNullAsync(cancellationToken);
        if (entry.EndDate is { } end) await copy.WriteAsync(end, NpgsqlDbType.Date, cancellationToken);
        else await copy.WriteNullAsync(cancellationToken);
        await copy.WriteAsync(entry.IsCurrent, NpgsqlDbType.Boolean, cancellationToken);
        await copy.WriteAsync(entry.Former, NpgsqlDbType.Boolean, cancellationToken);
        await copy.WriteAsync(entry.SourceResultId, NpgsqlDbType.Bigint, cancellationToken);
    }

    private static async Task WriteText(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken)
    {
        if (value is null) await copy.WriteNullAsync(cancellationToken);
        else await copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
    }

    private static async Task Delete(NpgsqlConnection connection, string table, Guid batchId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE batch_id = $1", connection);
        command.Parameters.Add(new() { Value = batchId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<ConsolidationReport.PathCount> Counts(IReadOnlyDictionary<(string Provider, string Path), long> counts) =>
        [.. counts.OrderBy(c => c.Key.Provider, StringComparer.Ordinal).ThenBy(c => c.Key.Path, StringComparer.Ordinal)
            .Select(c => new ConsolidationReport.PathCount(c.Key.Provider, c.Key.Path, c.Value))];

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
