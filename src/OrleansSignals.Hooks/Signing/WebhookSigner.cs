using System.Security.Cryptography;
using System.Text;

namespace OrleansSignals.Hooks.Signing;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> keyed with
/// the decoded secret. Several secrets (during a rotation) give several signatures, space-separated.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(string messageId, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(
            WebhookSecret.Decode(s) ?? throw new ArgumentException("Not a whsec_ secret.", nameof(secrets)), signed))));
    }
}
