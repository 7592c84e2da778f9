namespace OrleansSignals.Grains.Accounts;

/// <summary>Account grain keys: the workspace id, a slash, the account id (which may itself contain slashes).</summary>
public static class AccountKey
{
    public static string For(string workspaceId, string accountId) => workspaceId + "/" + accountId;

    public static (string WorkspaceId, string AccountId) Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0) throw new ArgumentException($"'{key}' is not an account key.", nameof(key));
        return (key[..slash], key[(slash + 1)..]);
    }
}
