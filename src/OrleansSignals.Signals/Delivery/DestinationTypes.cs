namespace OrleansSignals.Signals.Delivery;

public static class DestinationTypes
{
    public const string AttioList = "attio_list";
    public const string PostHogCohort = "posthog_cohort";
    public const string Webhook = "webhook";
    public const string Slack = "slack";

    public static readonly IReadOnlyList<string> All = [AttioList, PostHogCohort, Webhook, Slack];
}
