using System.Globalization;

namespace OrleansSignals.Grains.Accounts;

/// <summary>ISO 8601 UTC text for timestamps stored as strings (history old/new values).</summary>
public static class Iso
{
    public static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
