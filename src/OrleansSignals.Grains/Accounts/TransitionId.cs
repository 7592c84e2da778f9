using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// A transition's id, derived from its cause: the same account, kind, key and cause always give the same id, so a
/// replay after a crash recomputes the ids it wrote before and writes nothing twice. Shaped as a UUIDv7 (the
/// turn's millisecond first, then 74 bits of a SHA-256 of the cause), so ids still sort by time.
/// </summary>
public static class TransitionId
{
    /// <param name="cause">What made the turn: <c>p{position}</c> of its last event, or <c>t{ticks}</c> of a turn without events.</param>
    /// <param name="detail">What tells two transitions of one turn apart beyond type and key (a lifecycle event's id).</param>
    public static Guid Derive(string workspaceId, string accountId, string cause, string type, string? key, string? detail, DateTimeOffset at)
    {
        Span<byte> hash = stackalloc byte[32];
        var text = string.Join('\u001f', workspaceId, accountId, cause, type, key ?? "", detail ?? "");
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        Span<byte> bytes = stackalloc byte[16];
        var ms = Math.Max(0, at.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], ms << 16);
        hash[..10].CopyTo(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
