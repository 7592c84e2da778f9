using System.Text;
using OrleansSignals.Grains.Persistence;

namespace OrleansSignals.Grains.Tests.Persistence;

public sealed class GrainChangePayloadTests
{
    [Fact]
    public void Many_changes_are_split_into_payloads_under_the_notify_limit_each_line_once()
    {
        // Account ids with multi-byte characters: the limit is in UTF-8 bytes, not characters.
        var lines = Enumerable.Range(0, 3000).Select(i => $"a\tws_1/accöunt-{i:D5}-ünïcode").ToList();

        var payloads = GrainChangeNotifier.Payloads("silo01", lines);

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 7500, $"{Encoding.UTF8.GetByteCount(p)} bytes"));
        Assert.All(payloads, p => Assert.StartsWith("silo01\n", p));
        Assert.Equal(lines, payloads.SelectMany(p => p.Split('\n').Skip(1)));
        // Packed, not one line per payload: all but the last are nearly full.
        Assert.All(payloads.SkipLast(1), p => Assert.True(Encoding.UTF8.GetByteCount(p) > 7400));
    }

    [Fact]
    public void A_single_change_is_one_payload()
    {
        Assert.Equal(["silo01\na\tws/acme"], GrainChangeNotifier.Payloads("silo01", ["a\tws/acme"]));
    }
}
