namespace OrleansSignals.Exports.Parquet;

/// <summary>A flat Parquet schema: an ordered list of uniquely named columns.</summary>
public sealed class ParquetSchema
{
    private readonly ParquetColumn[] _columns;

    public ParquetSchema(params IEnumerable<ParquetColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = [.. columns];
        if (_columns.Length == 0)
        {
            throw new ArgumentException("A Parquet schema needs at least one column.", nameof(columns));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in _columns)
        {
            ArgumentNullException.ThrowIfNull(column, nameof(columns));
            if (string.IsNullOrEmpty(column.Name))
            {
                throw new ArgumentException("Every column needs a non-empty name.", nameof(columns));
            }

            if (!Enum.IsDefined(column.Type))
            {
                throw new ArgumentException($"Column '{column.Name}' has an unknown type {column.Type}.", nameof(columns));
            }

            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"Column name '{column.Name}' appears more than once.", nameof(columns));
            }
        }
    }

    /// <summary>The columns, in file order; the index is the ordinal the writer's Append methods take.</summary>
    public IReadOnlyList<ParquetColumn> Columns => _columns;

    /// <summary>The ordinal of the column called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public int IndexOf(string name)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            if (string.Equals(_columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"The schema has no column named '{name}'.");
    }
}
