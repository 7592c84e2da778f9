using System.Text;
using OrleansSignals.Enrichment.Upload;

namespace OrleansSignals.Enrichment.Tests.Upload;

public sealed class CsvRowsTests
{
    private static List<CsvRows.Row> Read(string text) => [.. CsvRows.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)))];

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var rows = Read("\uFEFFName,Note\r\n\"Lovelace, Ada\",\"said \"\"hi\"\"\nthen left\"\r\nBob,\r\n\r\n");
        Assert.Equal(["Name", "Note"], rows[0].Cells);
        Assert.Equal(["Lovelace, Ada", "said \"hi\"\nthen left"], rows[1].Cells);
        Assert.Equal(4, rows[2].Line);
        Assert.Equal(["Bob", ""], rows[2].Cells);
        Assert.Equal(3, rows.Count);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", 3, "has 1 field(s) where the header has 2")]
    [InlineData("a,b\n1,2\n3,4,5\n", 3, "has 3 field(s)")]
    [InlineData("a,b\n1,\"2\n3,4\n", 2, "never closed")]
    [InlineData("a,b\n1,x\"y\n", 2, "quote inside an unquoted field")]
    [InlineData("a,b\n\"1\"x,2\n", 2, "unbalanced quotes")]
    public void Malformed_rows_name_their_line(string text, int line, string problem)
    {
        var error = Assert.Throws<CsvFormatException>(() => Read(text));
        Assert.Equal(line, error.Line);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Headers_map_by_alias_and_mapping_overrides()
    {
        var (map, errors) = LeadColumns.Resolve(["First Name", "Last Name", "Email", "Title", "Company", "Person Linkedin Url", "Website", "Work Email"], null);
        Assert.Empty(errors);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], LeadColumns.All.Select(c => map[c]).ToArray());
        var (custom, _) = LeadColumns.Resolve(["First Name", "Email", "Work Email"], new Dictionary<string, string> { ["email"] = "Work Email" });
        Assert.Equal(2, custom["email"]);
        var (_, bad) = LeadColumns.Resolve(["Email"], new Dictionary<string, string> { ["email"] = "Nope", ["shoe_size"] = "Email" });
        Assert.Equal(["mapping.email", "mapping.shoe_size"], bad.Select(e => e.Field).Order().ToArray());
    }
}
