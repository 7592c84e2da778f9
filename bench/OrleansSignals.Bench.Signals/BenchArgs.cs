using System.Globalization;

namespace OrleansSignals.Bench.Signals;

/// <summary><c>--name value</c> pairs and <c>--flag</c> switches.</summary>
public sealed class BenchArgs(Dictionary<string, string> values)
{
    public static BenchArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            values[args[i][2..]] = hasValue ? args[++i] : "true";
        }
        return new BenchArgs(values);
    }

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => values.ContainsKey(name);
}
