using System.Text;

namespace OrleansSignals.FunctionalTests.Exports.Support;

/// <summary>
/// A strict RFC 4180 reader written from the RFC for these tests (the CsvHelper the registry serves
/// here is not the usual library): CRLF records, quoted fields with doubled quotes, and an empty
/// unquoted field read as null while <c>""</c> reads as an empty string. Anything else is an error.
/// </summary>
public static class Rfc4180Reader
{
    public static List<string?[]> Read(TextReader reader)
    {
        var records = new List<string?[]>();
        var fields = new List<string?>();
        var field = new StringBuilder();
        var quoted = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            if (field.Length == 0 && !quoted && c == '"')
            {
                quoted = true;
                while (true)
                {
                    c = reader.Read();
                    if (c == -1) throw new FormatException("unterminated quoted field");
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); field.Append('"'); continue; }
                        break;
                    }
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case ',':
                    fields.Add(quoted || field.Length > 0 ? field.ToString() : null);
                    field.Clear();
                    quoted = false;
                    break;
                case '\r':
                    if (reader.Read() != '\n') throw new FormatException("CR without LF outside quotes");
                    fields.Add(quoted || field.Length > 0 ? field.ToString() : null);
                    records.Add([.. fields]);
                    fields.Clear();
                    field.Clear();
                    quoted = false;
                    break;
                case '\n':
                    throw new FormatException("LF without CR outside quotes");
                default:
                    if (quoted) throw new FormatException($"'{(char)c}' after a closing quote");
                    field.Append((char)c);
                    break;
            }
        }
        if (fields.Count > 0 || field.Length > 0 || quoted) throw new FormatException("the last record does not end with CRLF");
        return records;
    }
}
