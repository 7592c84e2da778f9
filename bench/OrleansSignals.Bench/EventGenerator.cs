using System.Text;
using System.Text.Json;

namespace OrleansSignals.Bench;

/// <summary>Deterministic synthetic events spread uniformly over the accounts, timestamps over the last <paramref name="spreadHours"/>.</summary>
internal sealed class EventGenerator(int accounts, int seed, double spreadHours = 240)
{
    private static readonly string[] Names = ["login", "page_view", "feature_used", "export_run", "invite_sent"];
    private readonly Random _random = new(seed);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private long _next;

    public sealed record Row(string EventId, string AccountId, string Event, DateTimeOffset Timestamp, int Seats);

    public Row Next()
    {
        var n = _next++;
        return new Row($"ev-{seed}-{n}", $"acct-{_random.Next(accounts):D6}", Names[_random.Next(Names.Length)],
            _now.AddSeconds(-_random.Next(Math.Max(1, (int)(spreadHours * 3600)))), _random.Next(1, 50));
    }

    public static byte[] ToJson(IReadOnlyList<Row> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var r in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("event_id", r.EventId);
                writer.WriteString("account_id", r.AccountId);
                writer.WriteString("event", r.Event);
                writer.WriteString("timestamp", r.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteStartObject("properties");
                writer.WriteNumber("seats", r.Seats);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return stream.ToArray();
    }

    public static string Describe(byte[] json) => $"{json.Length / 1024} KB, {Encoding.UTF8.GetString(json, 0, Math.Min(120, json.Length))}…";
}
