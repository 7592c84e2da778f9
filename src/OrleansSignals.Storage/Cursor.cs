using System.Text;

namespace OrleansSignals.Storage;

/// <summary>Opaque keyset-pagination cursors: the sort key of the last row returned, base64url-encoded.</summary>
public static class Cursor
{
    public static string Encode(string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, out string value)
    {
        value = "";
        if (string.IsNullOrEmpty(cursor)) return false;
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var written)) return false;
        value = Encoding.UTF8.GetString(buffer, 0, written);
        return true;
    }
}
