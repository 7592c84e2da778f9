using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Enrichment.Providers;

namespace OrleansSignals.Enrichment.Upload;

/// <summary>
/// Stores an upload as a pending batch in one transaction: the batch, the file byte for byte (<c>raw_uploads</c>),
/// one <c>batch_items</c> row per data row (binary COPY while the file is parsed) and a pending
/// <c>workflow_states</c> row per item and step. Any error rolls all of it back.
/// </summary>
public sealed class BatchStager(NpgsqlDataSource dataSource, ProviderStore providers)
{
    public sealed record Request(string WorkspaceId, IReadOnlyList<string> Steps, IReadOnlyDictionary<string, string>? Mapping, string? FileName, Stream Content);

    public sealed record Staged(Guid Id, int Items);

    /// <exception cref="StagingException">The upload is refused; nothing was stored.</exception>
    public async Task<Staged> StageAsync(Request request, CancellationToken cancellationToken)
    {
        if (request.Steps.Count == 0) throw new StagingException("steps", "name at least one provider");
        var known = await providers.NamesAsync(request.WorkspaceId, cancellationToken);
        var unknown = request.Steps.Where(s => !known.Contains(s)).Distinct().ToList();
        if (unknown.Count > 0)
            throw new StagingException([.. unknown.Select(s => new Grains.FieldError("steps", $"'{s}' is not a provider of this workspace"))]);
        if (request.Content.Length == 0) throw new StagingException("file", "is empty");
        if (request.Content.Length > EnrichmentOptions.MaxFileBytes)
            throw new StagingException("file", $"is larger than {EnrichmentOptions.MaxFileBytes / 1024 / 1024} MB", tooLarge: true);

        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await InsertBatchAsync(connection, id, request, cancellationToken);

        request.Content.Position = 0;
        var (header, map, items) = await CopyItemsAsync(connection, id, request, cancellationToken);

        request.Content.Position = 0;
        var hash = await SHA256.HashDataAsync(request.Content, cancellationToken);
        request.Content.Position = 0;
        await using (var command = new NpgsqlCommand("""
            INSERT INTO raw_uploads (batch_id, workspace_id, file_name, size_bytes, sha256, header, content) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, tx))
        {
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = request.WorkspaceId });
            command.Parameters.Add(new() { Value = (object?)request.FileName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = request.Content.Length });
            command.Parameters.Add(new() { Value = hash });
            command.Parameters.Add(new() { Value = header, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = request.Content, NpgsqlDbType = NpgsqlDbType.Bytea });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand("UPDATE enrichment_batches SET item_count = $2, mapping = $3 WHERE id = $1", connection, tx))
        {
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = items });
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(map.ToDictionary(m => m.Key, m => header[m.Value])), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand("""
            INSERT INTO workflow_states (batch_item_id, step, batch_id, status)
            SELECT i.id, s.step, $1, 'pending' FROM batch_items i CROSS JOIN generate_series(1, $2) AS s (step) WHERE i.batch_id = $1
            """, connection, tx))
        {
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = request.Steps.Count });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return new Staged(id, items);
    }

    private static async Task InsertBatchAsync(NpgsqlConnection connection, Guid id, Request request, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO enrichment_batches (id, workspace_id, status, steps, mapping, item_count) VALUES ($1, $2, 'pending', $3, '{}', 0)
            """, connection);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = request.WorkspaceId });
        command.Parameters.Add(new() { Value = request.Steps.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Parses the file and streams its rows into <c>batch_items</c>; throws before anything commits.</summary>
    private static async Task<(string[] Header, Dictionary<string, int> Map, int Items)> CopyItemsAsync(
        NpgsqlConnection connection, Guid id, Request request, CancellationToken cancellationToken)
    {
        string[]? header = null;
        Dictionary<string, int> map = [];
        var items = 0;
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY batch_items (batch_id, workspace_id, line, cells, first_name, last_name, email, title, company, linkedin_url, website) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        try
        {
            foreach (var row in CsvRows.Read(request.Content))
            {
                if (header is null)
                {
                    header = row.Cells;
                    var (resolved, errors) = LeadColumns.Resolve(header, request.Mapping);
                    if (errors.Count > 0) throw new StagingException(errors);
                    map = resolved;
                    continue;
                }
                if (++items > EnrichmentOptions.MaxRows)
                    throw new StagingException("file", $"has more than {EnrichmentOptions.MaxRows:N0} rows", tooLarge: true);
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(request.WorkspaceId, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.Line, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(row.Cells, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                foreach (var column in LeadColumns.All)
                {
                    var value = map.TryGetValue(column, out var index) ? row.Cells[index].Trim() : "";
                    if (value.Length == 0) await importer.WriteNullAsync(cancellationToken);
                    else await importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
                }
            }
        }
        catch (CsvFormatException ex)
        {
            throw new StagingException("file", ex.Message);
        }
        if (header is null) throw new StagingException("file", "is empty");
        if (items == 0) throw new StagingException("file", "has a header but no data rows");
        await importer.CompleteAsync(cancellationToken);
        return (header, map, items);
    }
}
