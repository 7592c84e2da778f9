using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Signals.Notify;

/// <summary>
/// Signs and checks the token of a digest's unsubscribe link: workspace, recipient and expiry, HMAC-SHA256 signed
/// with <c>Mail:UnsubscribeSecret</c> or, when that is empty, a key derived from <c>Signals:AdminToken</c> (as
/// enrichment's <c>SecretBox</c> does), so any host checks what another signed and no sign-in is needed.
/// Format: base64url("1\n{expiry unix seconds}\n{workspace}\n{recipient}") "." base64url(HMAC).
/// </summary>
public sealed class UnsubscribeTokens
{
    private const string Version = "1";
    private readonly Lazy<byte[]> _key;
    private readonly MailOptions _options;
    private readonly TimeProvider _time;

    public UnsubscribeTokens(IOptions<MailOptions> options, IConfiguration configuration, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        // Taken when first used: a host that never mails nor serves the link (a bare test silo) needs no key.
        _key = new Lazy<byte[]>(() =>
            Storage.ServerKey.From(_options.UnsubscribeSecret, configuration["Signals:AdminToken"], "orleans-signals/mail/unsubscribe")
            ?? throw new InvalidOperationException("Set Mail:UnsubscribeSecret (or Signals:AdminToken) to sign unsubscribe links."));
    }

    /// <summary>The link a digest to <paramref name="recipient"/> carries, valid for <see cref="MailOptions.UnsubscribeLinkLifetime"/>.</summary>
    public string Link(string workspaceId, string recipient) =>
        $"{_options.PublicBaseUrl!.TrimEnd('/')}/api/unsubscribe?token={Create(workspaceId, recipient)}";

    public string Create(string workspaceId, string recipient)
    {
        var expires = (_time.GetUtcNow() + _options.UnsubscribeLinkLifetime).ToUnixTimeSeconds();
        var payload = Encoding.UTF8.GetBytes($"{Version}\n{expires.ToString(CultureInfo.InvariantCulture)}\n{workspaceId}\n{recipient.ToLowerInvariant()}");
        return $"{Base64Url(payload)}.{Base64Url(HMACSHA256.HashData(_key.Value, payload))}";
    }

    /// <summary>The workspace and recipient a token names; null with why when it is malformed, tampered with or expired.</summary>
    public (string WorkspaceId, string Recipient)? Read(string? token, out string problem)
    {
        problem = "is not an unsubscribe token of this server (the link is incomplete or was changed)";
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || token.Split('.') is not [var body, var signature]) return null;
        if (FromBase64Url(body) is not { } payload || FromBase64Url(signature) is not { } mac) return null;
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key.Value, payload))) return null;
        if (Encoding.UTF8.GetString(payload).Split('\n') is not [Version, var expires, var workspace, var recipient]
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var at)) return null;
        if (_time.GetUtcNow().ToUnixTimeSeconds() > at)
        {
            problem = "has expired: use the link in a more recent digest";
            return null;
        }
        problem = "";
        return (workspace, recipient);
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static byte[]? FromBase64Url(string text) =>
        System.Buffers.Text.Base64Url.IsValid(text) ? System.Buffers.Text.Base64Url.DecodeFromChars(text) : null;
}
