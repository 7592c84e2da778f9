using Npgsql;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Datasets;

/// <summary>
/// A dataset analysts can export. Adding one is a class implementing this and one registration
/// (<c>services.AddSingleton&lt;IExportDataset, MyDataset&gt;()</c>): its query selects exactly the
/// schema's columns, in order, with PostgreSQL types matching the column types
/// (text, bigint, double precision, boolean, timestamptz).
/// </summary>
public interface IExportDataset
{
    /// <summary>The wire name, e.g. <c>lifecycle-event-history</c>.</summary>
    string Name { get; }

    /// <summary>True when the dataset takes a <c>from</c>/<c>to</c> range; false for current-state datasets.</summary>
    bool Ranged { get; }

    ParquetSchema Schema(ExportScope scope);

    /// <summary>The rows, streamed; parameters bound.</summary>
    NpgsqlCommand Rows(ExportScope scope);

    /// <summary>How many rows <see cref="Rows"/> will return (for progress).</summary>
    NpgsqlCommand Count(ExportScope scope);
}
