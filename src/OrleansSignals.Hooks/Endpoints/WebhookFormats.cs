namespace OrleansSignals.Hooks.Endpoints;

/// <summary>What a message body looks like: the Standard Webhooks envelope, or a Slack incoming-webhook message.</summary>
public static class WebhookFormats
{
    public const string Standard = "standard";
    public const string Slack = "slack";
}
