using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Exports.Datasets;

namespace OrleansSignals.Signals.Exports;

/// <summary>Binds $1 workspace, $2 from (or -infinity), $3 to (or infinity), as the export datasets of the Exports project do.</summary>
internal static class Range
{
    public static NpgsqlCommand Bind(NpgsqlCommand command, ExportScope scope)
    {
        command.Parameters.Add(new() { Value = scope.WorkspaceId });
        command.Parameters.Add(new() { Value = scope.From is { } from ? from : DateTime.MinValue, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = scope.To is { } to ? to : DateTime.MaxValue, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
