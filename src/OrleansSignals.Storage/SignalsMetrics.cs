using System.Diagnostics.Metrics;

namespace OrleansSignals.Storage;

/// <summary>
/// The product's own instruments (meter <c>OrleansSignals</c>), exported at <c>/metrics</c> with the
/// framework's (ASP.NET Core, Orleans, Npgsql, runtime). Labels never carry a workspace or account id:
/// their number is unbounded, and a tenant's activity is not the operator's business to publish.
/// </summary>
public static class SignalsMetrics
{
    public const string MeterName = "OrleansSignals";

    private static readonly Meter Meter = new(MeterName, "1.0");

    /// <summary>Events durably stored and applied (duplicates not counted).</summary>
    public static readonly Counter<long> EventsIngested = Meter.CreateCounter<long>(
        "signals.events.ingested", "{event}", "Events accepted by POST /api/events (stored and applied; duplicates excluded)");

    /// <summary>Hook attempts by <c>result</c>: delivered, retry (failed, will be tried again) or dead.</summary>
    public static readonly Counter<long> HookDeliveries = Meter.CreateCounter<long>(
        "signals.hooks.deliveries", "{attempt}", "Webhook delivery attempts by result (delivered, retry, dead)");

    public static readonly Histogram<double> HookDeliveryDuration = Meter.CreateHistogram(
        "signals.hooks.delivery.duration", "s", "Webhook attempt latency, connect to response excerpt, by result",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15] });

    public static readonly Counter<long> ExportRows = Meter.CreateCounter<long>(
        "signals.exports.rows", "{row}", "Rows written by export runs, by dataset and format");

    public static readonly Histogram<double> ExportDuration = Meter.CreateHistogram(
        "signals.exports.duration", "s", "Export run duration by dataset, format and status (completed, failed)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] });

    private static (long Rows, double AgeSeconds)? _outbox;

    /// <summary>Set by the outbox probe of a <c>workers</c> host; a host without one reports no outbox gauges.</summary>
    public static void ReportOutbox(long rows, double ageSeconds) => _outbox = (rows, ageSeconds);

    static SignalsMetrics()
    {
        Meter.CreateObservableGauge("signals.outbox.rows", () => _outbox is { } o ? [new Measurement<long>(o.Rows)] : Array.Empty<Measurement<long>>(),
            "{row}", "Transitions written but not yet fanned out to webhook endpoints");
        Meter.CreateObservableGauge("signals.outbox.lag", () => _outbox is { } o ? [new Measurement<double>(o.AgeSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest transition not yet fanned out (0 when the outbox is empty)");
    }
}
