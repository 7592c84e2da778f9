using Npgsql;

namespace OrleansSignals.Hooks.Usage;

/// <summary>Delivered messages per UTC day, for usage-based pricing.</summary>
public sealed class UsageStore(NpgsqlDataSource dataSource)
{
    public sealed record Day(DateOnly Date, long Delivered);

    public async Task<IReadOnlyList<Day>> DailyAsync(string workspaceId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT day, delivered FROM usage_daily WHERE workspace_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        var days = new List<Day>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) days.Add(new Day(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1)));
        return days;
    }
}
