using System.Security.Cryptography;
using System.Text;

namespace OrleansSignals.Storage;

/// <summary>
/// A secret every host of a cluster shares: the one configured (base64), or else one derived from
/// <c>Signals:AdminToken</c> with HKDF-SHA256 and a purpose of its own, so that one token yields independent keys
/// (sealing provider headers, signing unsubscribe links) and no second secret is needed to start.
/// </summary>
public static class ServerKey
{
    /// <returns>The key, or null when neither a configured key nor an admin token is set.</returns>
    public static byte[]? From(string? configuredBase64, string? adminToken, string purpose)
    {
        if (!string.IsNullOrEmpty(configuredBase64)) return Convert.FromBase64String(configuredBase64);
        if (string.IsNullOrEmpty(adminToken)) return null;
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(adminToken), 32, info: Encoding.UTF8.GetBytes(purpose));
    }
}
