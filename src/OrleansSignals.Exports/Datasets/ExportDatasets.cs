namespace OrleansSignals.Exports.Datasets;

/// <summary>The registered datasets, by name.</summary>
public sealed class ExportDatasets(IEnumerable<IExportDataset> datasets)
{
    private readonly Dictionary<string, IExportDataset> _byName = datasets.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    public IExportDataset? Find(string? name) => name is not null && _byName.TryGetValue(name, out var dataset) ? dataset : null;

    public IExportDataset Get(string name) => Find(name) ?? throw new KeyNotFoundException($"No export dataset '{name}'.");
}
