namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// A workspace's PostHog (PUT /api/integrations/posthog): where it is, which project, the personal API key (query
/// read and cohort write scopes), and how an event names our account: the key of its group of type
/// <see cref="AccountGroupIndex"/> (group analytics, <c>$group_N</c>), or the person property <see cref="AccountProperty"/>.
/// </summary>
public sealed record PostHogIntegration(Uri Host, int ProjectId, string ApiKey, int? AccountGroupIndex, string? AccountProperty);
