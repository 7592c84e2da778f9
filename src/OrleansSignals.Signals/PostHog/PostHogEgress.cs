using OrleansSignals.Hooks.Dispatch;

namespace OrleansSignals.Signals.PostHog;

/// <summary>Which non-public PostHog hosts this host may reach, with the settings a refusal names.</summary>
public static class PostHogEgress
{
    public const string PrivateSetting = "Signals:PostHog:AllowPrivateNetworks";
    public const string LoopbackSetting = "Signals:PostHog:AllowLoopback";

    public static EgressPolicy Policy(PostHogOptions o) => new(o.AllowPrivateNetworks, o.AllowLoopback, PrivateSetting, LoopbackSetting);
}
