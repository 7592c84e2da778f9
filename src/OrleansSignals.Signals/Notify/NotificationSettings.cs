namespace OrleansSignals.Signals.Notify;

/// <summary>
/// Who gets a workspace's daily digest (<c>/api/workspace/notifications</c>). On by default, with no recipients
/// until some are set. <see cref="Unsubscribed"/>: addresses that followed an unsubscribe link (read-only here).
/// </summary>
public sealed record NotificationSettings(bool DigestEnabled, IReadOnlyList<string> Recipients, IReadOnlyList<UnsubscribedAddress> Unsubscribed)
{
    /// <summary>The recipients a digest goes to now: the list less those who unsubscribed.</summary>
    public IReadOnlyList<string> Active() =>
        [.. Recipients.Where(r => !Unsubscribed.Any(u => string.Equals(u.Address, r, StringComparison.OrdinalIgnoreCase)))];
}

/// <summary>An address that unsubscribed from the workspace's digest, and when.</summary>
public sealed record UnsubscribedAddress(string Address, DateTimeOffset UnsubscribedAt);
