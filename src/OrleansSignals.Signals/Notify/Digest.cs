namespace OrleansSignals.Signals.Notify;

/// <summary>What one run's digest says: its new occurrences by type and account, and each definition's conversion against the last run.</summary>
public sealed record Digest(string WorkspaceName, DateOnly Date, DateTimeOffset AsOf, int NewSignals, IReadOnlyList<DigestGroup> Groups, IReadOnlyList<ConversionChange> Conversions)
{
    /// <summary>Accounts named per type; the rest are counted ("and 3 more accounts").</summary>
    public const int AccountsPerType = 10;
}

/// <summary>One signal type's new occurrences: how many, over how many accounts, and the accounts with the most (up to <see cref="Digest.AccountsPerType"/>).</summary>
public sealed record DigestGroup(string Type, string Name, int Occurrences, int Accounts, IReadOnlyList<(string AccountId, int Occurrences)> TopAccounts);

/// <summary>
/// A definition's score in this run and in the run before (null: none). Conversion is matched_converted / matched;
/// null without an outcome configured or with no account matched. <see cref="Outcome"/> says what converting meant
/// ("plan = enterprise within 30 days"); <see cref="OutcomeChanged"/>: the run before was scored against another outcome.
/// </summary>
public sealed record ConversionChange(
    string Type, string Name, int Matched, double? Conversion, bool HadPrevious, double? PreviousConversion, string? Outcome, bool OutcomeChanged);
