using System.Globalization;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>A host whose pipeline ticks often and mails its digests through a real SMTP server on loopback (<see cref="SmtpSink"/>).</summary>
public sealed class DigestFactory : SignalsFactory
{
    /// <summary>Where recipients reach the API, as the unsubscribe links say (never contacted: the tests call the in-process host).</summary>
    public const string PublicBaseUrl = "http://127.0.0.1:5080/signals";

    public SmtpSink Smtp { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Signals:Pipeline:TickInterval", "00:00:00.200"),
        new("Signals:Pipeline:Lease", "00:00:05"),
        new("Mail:Host", "127.0.0.1"),
        new("Mail:Port", Smtp.Port.ToString(CultureInfo.InvariantCulture)),
        new("Mail:Security", "None"),
        new("Mail:From", "OrleansSignals <signals@acme.test>"),
        new("Mail:Timeout", "00:00:10"),
        new("Mail:PublicBaseUrl", PublicBaseUrl),
    ];
}
