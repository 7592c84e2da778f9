using nietras.SeparatedValues;

namespace OrleansSignals.Enrichment.Upload;

/// <summary>
/// Reads an RFC 4180 CSV (comma, optional quotes, CRLF or LF) with Sep, strictly: a row with another number of
/// fields than the header, an unterminated quoted field or a quote inside an unquoted field is an error naming its
/// line. Sep splits the fields; the quoting is checked here on each raw field, because Sep accepts both silently.
/// Blank lines are skipped.
/// </summary>
public static class CsvRows
{
    public readonly record struct Row(int Line, string[] Cells);

    /// <summary>The header (first row) and then every data row, in order.</summary>
    public static IEnumerable<Row> Read(Stream stream)
    {
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = false })
            .From(new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true));
        int? width = null;
        while (reader.MoveNext())
        {
            var cells = Cells(reader.Current, out var line);
            if (cells is null) continue;
            if (width is null)
            {
                if (cells.Length > 0 && cells[0].StartsWith('\uFEFF')) cells[0] = cells[0][1..];
                width = cells.Length;
            }
            else if (cells.Length != width)
            {
                throw new CsvFormatException(line, $"has {cells.Length} field(s) where the header has {width}");
            }
            yield return new Row(line, cells);
        }
    }

    /// <summary>The row's unquoted cells, or null for a blank line.</summary>
    private static string[]? Cells(SepReader.Row row, out int line)
    {
        line = row.LineNumberFrom;
        if (row.ColCount == 1 && row[0].Span.IsEmpty) return null;
        var cells = new string[row.ColCount];
        for (var i = 0; i < cells.Length; i++) cells[i] = Unquote(row[i].Span, line);
        return cells;
    }

    private static string Unquote(ReadOnlySpan<char> raw, int line)
    {
        if (raw.IndexOf('\0') >= 0) throw new CsvFormatException(line, "contains a NUL character");
        if (raw.IsEmpty || raw[0] != '"')
        {
            if (raw.IndexOf('"') >= 0) throw new CsvFormatException(line, "has a quote inside an unquoted field (quote the field and double the quote)");
            return raw.ToString();
        }
        if (raw.Length < 2 || raw[^1] != '"') throw new CsvFormatException(line, "has a quoted field that is never closed (unbalanced quotes)");
        var inner = raw[1..^1];
        var builder = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '"')
            {
                if (i + 1 >= inner.Length || inner[i + 1] != '"')
                    throw new CsvFormatException(line, "has a quote inside a quoted field that is not doubled (unbalanced quotes)");
                i++;
            }
            builder.Append(inner[i]);
        }
        return builder.ToString();
    }
}
