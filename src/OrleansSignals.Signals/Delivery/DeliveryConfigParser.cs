using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansSignals.Grains;

namespace OrleansSignals.Signals.Delivery;

/// <summary>A delivery config from a request body, each field and each destination setting checked and named when wrong.</summary>
public static partial class DeliveryConfigParser
{
    private static readonly string[] Known = ["signal_type", "destination_type", "destination_config", "is_active"];

    public static (DeliveryConfig? Config, List<FieldError> Errors) Parse(JsonElement body, Guid id)
    {
        var f = new JsonFields(body, Known);
        if (!f.IsObject) return (null, f.Errors);
        var signalType = f.String("signal_type", required: true);
        if (signalType is not null && signalType != "*" && !TypePattern().IsMatch(signalType))
            f.Fail("signal_type", "must be a signal type or \"*\" (every type)");
        var destination = f.String("destination_type", required: true);
        if (destination is not null && !DestinationTypes.All.Contains(destination))
            f.Fail("destination_type", $"'{destination}' is not a destination type (attio_list, posthog_cohort, webhook, slack)");
        var config = f.Element("destination_config") ?? JsonDocument.Parse("{}").RootElement;
        var active = f.Boolean("is_active") ?? true;
        if (destination is not null && f.Errors.All(e => e.Field != "destination_type")) Check(destination, config, f);
        if (f.Errors.Count > 0) return (null, f.Errors);
        return (new DeliveryConfig(id, signalType!, destination!, config.Clone(), active), f.Errors);
    }

    private static void Check(string destination, JsonElement config, JsonFields outer)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            outer.Fail("destination_config", "must be a JSON object");
            return;
        }
        switch (destination)
        {
            case DestinationTypes.AttioList:
            {
                var c = new JsonFields(config, ["list_id", "object"], "destination_config.");
                var list = c.String("list_id", required: true);
                if (list is { Length: 0 or > 200 }) c.Fail("list_id", "must be the Attio list's id or slug (1-200 characters)");
                var obj = c.String("object");
                if (obj is not null and not ("companies" or "people")) c.Fail("object", $"'{obj}' is not an Attio object this delivers to (companies, people)");
                foreach (var e in c.Errors) outer.Fail(e.Field, e.Message);
                break;
            }
            case DestinationTypes.PostHogCohort:
            {
                var c = new JsonFields(config, ["cohort_id"], "destination_config.");
                var cohort = c.Integer("cohort_id", required: true);
                if (cohort is < 1) c.Fail("cohort_id", "must be the id of a static PostHog cohort (a positive whole number)");
                foreach (var e in c.Errors) outer.Fail(e.Field, e.Message);
                break;
            }
            default:
            {
                // Webhook and Slack messages go to the workspace's hook endpoints subscribed to signal.detected.
                var c = new JsonFields(config, [], "destination_config.");
                foreach (var e in c.Errors) outer.Fail(e.Field, e.Message + "; webhook and slack deliveries go to the webhook endpoints (/api/webhooks) subscribed to signal.detected");
                break;
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    private static partial Regex TypePattern();
}
