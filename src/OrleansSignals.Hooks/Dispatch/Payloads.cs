using OrleansSignals.Storage;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// The envelope <c>{"id", "type", "timestamp", "workspace_id", "data"}</c>, rendered once at fan-out and
/// stored, so every attempt sends (and signs) the same bytes; and its Slack rendering.
/// </summary>
public static class Payloads
{
    public static string Envelope(HookEvent e)
    {
        var envelope = new JsonObject
        {
            ["id"] = e.Id.ToString(),
            ["type"] = e.Type,
            ["timestamp"] = Storage.UtcDateTimeOffsetConverter.Format(e.OccurredAt),
            ["workspace_id"] = e.WorkspaceId,
            ["data"] = e.AccountId is null ? e.Data?.DeepClone() ?? new JsonObject() : TransitionData(e),
        };
        return envelope.ToJsonString();
    }

    private static JsonObject TransitionData(HookEvent e)
    {
        var data = new JsonObject { ["account_id"] = e.AccountId };
        switch (e.Type)
        {
            case EventTypes.InsightTriggered or EventTypes.InsightResolved:
                data["insight_key"] = e.Key;
                data["old_value"] = Bool(e.OldValue);
                data["new_value"] = Bool(e.NewValue);
                break;
            case EventTypes.HealthScoreChanged:
                data["old_value"] = Int(e.OldValue);
                data["new_value"] = Int(e.NewValue);
                break;
            default:
                data["event"] = e.Key;
                data["old_value"] = e.OldValue;
                data["new_value"] = e.NewValue;
                break;
        }
        data["health_score"] = e.HealthScore;
        return data;
    }

    /// <summary>A Slack incoming-webhook body: one readable line per event.</summary>
    public static string Slack(string envelope)
    {
        var root = JsonNode.Parse(envelope)!.AsObject();
        var type = root["type"]!.GetValue<string>();
        var data = root["data"] as JsonObject ?? [];
        var account = Text(data["account_id"]);
        var health = data["health_score"] is { } h ? $" (health {Text(h)})" : "";
        var text = type switch
        {
            EventTypes.InsightTriggered => $":rotating_light: Account *{account}*: insight `{Text(data["insight_key"])}` triggered{health}",
            EventTypes.InsightResolved => $":white_check_mark: Account *{account}*: insight `{Text(data["insight_key"])}` resolved{health}",
            EventTypes.HealthScoreChanged => $"{Trend(data["old_value"], data["new_value"])} Account *{account}*: health score {Text(data["old_value"])} → {Text(data["new_value"])}",
            EventTypes.LifecycleEvent => $":calendar: Account *{account}*: `{Text(data["event"])}` at {Text(data["new_value"])}{health}",
            EventTypes.WebhookTest => ":wave: Test message from OrleansSignals: this Slack hook works.",
            EventTypes.SignalDetected => $":bell: Account *{account}*{(data["person_id"] is { } person ? $" ({Text(person)})" : "")}: signal `{Text(data["type"])}` detected (value {Text(data["value"])})",
            _ => $"`{type}`: {data.ToJsonString()}",
        };
        return new JsonObject { ["text"] = text }.ToJsonString();
    }

    /// <summary>Up or down, by the score's move (a rise was shown as a falling chart).</summary>
    private static string Trend(JsonNode? from, JsonNode? to) =>
        double.TryParse(Text(from), CultureInfo.InvariantCulture, out var old) && double.TryParse(Text(to), CultureInfo.InvariantCulture, out var now) && now > old
            ? ":chart_with_upwards_trend:"
            : ":chart_with_downwards_trend:";

    private static string Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString() ?? "?";

    private static JsonNode? Bool(string? value) => value is null ? null : JsonValue.Create(value == "true");

    private static JsonNode? Int(string? value) => int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : null;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
