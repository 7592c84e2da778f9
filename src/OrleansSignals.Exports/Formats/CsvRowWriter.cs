using System.Buffers;
using System.Globalization;
using System.Text;

namespace OrleansSignals.Exports.Formats;

/// <summary>
/// RFC 4180 CSV in UTF-8 (no byte order mark): a header row, CRLF line ends, fields quoted when they
/// hold a comma, a quote, CR or LF (quotes doubled). A null is an empty field; an empty string is
/// <c>""</c>, so readers that tell them apart (DuckDB, pandas) get both back.
/// </summary>
public sealed class CsvRowWriter : TextRowWriter
{
    private readonly IReadOnlyList<string> _header;
    private int _nextColumn;

    public CsvRowWriter(Stream output, ExportCompression compression, IReadOnlyList<string> header)
        : base(output, compression)
    {
        _header = header;
        Start();
    }

    protected override void Begin()
    {
        for (var i = 0; i < _header.Count; i++)
        {
            Separator(i);
            WriteField(_header[i]);
        }
        Ascii("\r\n"u8);
        _nextColumn = 0;
    }

    public override void AppendNull(int column) => Separator(column);

    public override void AppendString(int column, string value)
    {
        Separator(column);
        WriteField(value);
    }

    public override void AppendInt64(int column, long value)
    {
        Separator(column);
        var span = Buffer.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        Buffer.Advance(written);
    }

    public override void AppendDouble(int column, double value)
    {
        Separator(column);
        Span<char> chars = stackalloc char[32];
        TextValues.TryFormatDouble(value, chars, out var written);
        Buffer.Advance(Encoding.UTF8.GetBytes(chars[..written], Buffer.GetSpan(written)));
    }

    public override void AppendBoolean(int column, bool value)
    {
        Separator(column);
        Ascii(value ? "true"u8 : "false"u8);
    }

    public override void AppendTimestamp(int column, DateTime utc)
    {
        Separator(column);
        Span<char> chars = stackalloc char[32];
        TextValues.TryFormatTimestamp(utc, chars, out var written);
        Buffer.Advance(Encoding.UTF8.GetBytes(chars[..written], Buffer.GetSpan(written)));
    }

    protected override void EndRow()
    {
        Ascii("\r\n"u8);
        _nextColumn = 0;
    }

    private void Separator(int column)
    {
        if (column != _nextColumn) throw new InvalidOperationException($"Column {column} appended out of order (expected {_nextColumn}).");
        if (column > 0) Ascii(","u8);
        _nextColumn++;
    }

    private void WriteField(string value)
    {
        if (value.Length > 0 && value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            Buffer.Advance(Encoding.UTF8.GetBytes(value, Buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length))));
            return;
        }

        // Slow path: quote, doubling quotes inside.
        var quoted = string.Concat("\"", value.Replace("\"", "\"\"", StringComparison.Ordinal), "\"");
        Buffer.Advance(Encoding.UTF8.GetBytes(quoted, Buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(quoted.Length))));
    }

    private void Ascii(ReadOnlySpan<byte> bytes) => Buffer.Write(bytes);
}
