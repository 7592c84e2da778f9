using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Enrichment.Consolidation;

namespace OrleansSignals.Enrichment.Leads;

/// <summary>Owns <c>enrichment_customers</c>: the workspace's customer companies, replaced as a whole.</summary>
public sealed class CustomerStore(NpgsqlDataSource dataSource)
{
    public static Customer Read(string value)
    {
        var trimmed = value.Trim();
        return CompanyName.LooksLikeDomain(trimmed)
            ? new Customer(trimmed, "domain", CompanyName.FromDomain(trimmed))
            : new Customer(trimmed, "name", CompanyName.Normalize(trimmed));
    }

    public async Task ReplaceAsync(string workspaceId, IReadOnlyList<Customer> customers, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand("DELETE FROM enrichment_customers WHERE workspace_id = $1", connection, tx))
        {
            delete.Parameters.Add(new() { Value = workspaceId });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = new NpgsqlCommand("""
            INSERT INTO enrichment_customers (workspace_id, value, kind, name_normalized)
            SELECT $1, v, k, n FROM unnest($2::text[], $3::text[], $4::text[]) AS c (v, k, n) ON CONFLICT DO NOTHING
            """, connection, tx);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = customers.Select(c => c.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = customers.Select(c => c.Kind).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = customers.Select(c => c.NameNormalized).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Customer>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT value, kind, name_normalized FROM enrichment_customers WHERE workspace_id = $1 ORDER BY value");
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<Customer>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(new Customer(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return list;
    }
}
