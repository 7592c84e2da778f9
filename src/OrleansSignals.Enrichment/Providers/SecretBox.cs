using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Enrichment.Providers;

/// <summary>
/// Seals provider header values with AES-256-GCM. The key is <c>Signals:Enrichment:SecretKey</c> or, when that is
/// empty, derived from <c>Signals:AdminToken</c>; every host therefore opens what another sealed. The associated
/// data binds a value to its workspace, provider and header, so a sealed value copied elsewhere does not open.
/// Format: base64 of version byte 1, 12-byte nonce, 16-byte tag, ciphertext.
/// </summary>
public sealed class SecretBox
{
    private const byte Version = 1;
    private readonly byte[] _key;

    public SecretBox(IOptions<EnrichmentOptions> options, IConfiguration configuration)
    {
        _key = Storage.ServerKey.From(options.Value.SecretKey, configuration["Signals:AdminToken"], "orleans-signals/enrichment/provider-headers")
            ?? throw new InvalidOperationException("Set Signals:Enrichment:SecretKey (or Signals:AdminToken) to seal provider headers.");
        if (_key.Length != 32) throw new InvalidOperationException("Signals:Enrichment:SecretKey must be base64 of exactly 32 bytes.");
    }

    public string Seal(string value, string context)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[1 + 12 + 16 + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(29), sealedBytes.AsSpan(13, 16), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(sealedBytes);
    }

    public string Open(string sealedValue, string context)
    {
        var bytes = Convert.FromBase64String(sealedValue);
        if (bytes.Length < 29 || bytes[0] != Version) throw new CryptographicException("Unknown sealed header format.");
        var plain = new byte[bytes.Length - 29];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(bytes.AsSpan(1, 12), bytes.AsSpan(29), bytes.AsSpan(13, 16), plain, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plain);
    }

    public static string Context(string workspaceId, string provider, string header) => $"{workspaceId}\n{provider}\n{header.ToLowerInvariant()}";
}
