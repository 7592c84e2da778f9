using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansSignals.Exports.Formats;

/// <summary>
/// JSON Lines in UTF-8: one object per row, keys in column order, nulls written as <c>null</c>,
/// int64 as JSON numbers, timestamps as ISO 8601 UTC strings with microseconds, and the
/// non-finite doubles JSON cannot spell as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
/// </summary>
public sealed class JsonLinesRowWriter : TextRowWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private readonly JsonEncodedText[] _names;
    private readonly Utf8JsonWriter _json;
    private bool _inRow;

    public JsonLinesRowWriter(Stream output, ExportCompression compression, IReadOnlyList<string> columns)
        : base(output, compression)
    {
        _names = [.. columns.Select(c => JsonEncodedText.Encode(c, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))];
        _json = new Utf8JsonWriter(Buffer, Options);
    }

    public override void AppendNull(int column) => Property(column).WriteNullValue();

    public override void AppendString(int column, string value) => Property(column).WriteStringValue(value);

    public override void AppendJson(int column, string json) => Property(column).WriteRawValue(json, skipInputValidation: true);

    public override void AppendInt64(int column, long value) => Property(column).WriteNumberValue(value);

    public override void AppendDouble(int column, double value)
    {
        var json = Property(column);
        if (double.IsFinite(value)) json.WriteNumberValue(value);
        else json.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    public override void AppendBoolean(int column, bool value) => Property(column).WriteBooleanValue(value);

    public override void AppendTimestamp(int column, DateTime utc)
    {
        Span<char> chars = stackalloc char[32];
        TextValues.TryFormatTimestamp(utc, chars, out var written);
        Property(column).WriteStringValue(chars[..written]);
    }

    protected override void EndRow()
    {
        if (!_inRow) _json.WriteStartObject();
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset(Buffer);
        Buffer.Write("\n"u8);
        _inRow = false;
    }

    private Utf8JsonWriter Property(int column)
    {
        if (!_inRow)
        {
            _json.WriteStartObject();
            _inRow = true;
        }
        _json.WritePropertyName(_names[column]);
        return _json;
    }
}
