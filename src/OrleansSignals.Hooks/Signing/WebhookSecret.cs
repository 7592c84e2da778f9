using System.Security.Cryptography;

namespace OrleansSignals.Hooks.Signing;

/// <summary>Standard Webhooks secrets: <c>whsec_</c> + base64 of 24 to 64 random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key bytes, or null when the text is not a valid secret.</summary>
    public static byte[]? Decode(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        try
        {
            var key = Convert.FromBase64String(secret[Prefix.Length..]);
            return key.Length is >= 24 and <= 64 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
