using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansSignals.Api.Auth;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Telemetry;

/// <summary>
/// What an operator sees: <c>/metrics</c> (Prometheus text, through OpenTelemetry), an access log line per
/// request, UTC timestamps on every log line, and traces over OTLP when an endpoint is configured.
/// </summary>
public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>Meters exported: ours, Orleans's own (activations, grain calls and their latency, messaging), and the framework's.</summary>
    public static readonly string[] Meters = [SignalsMetrics.MeterName, "Microsoft.Orleans"];

    public static WebApplicationBuilder AddSignalsTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration("Signals:Telemetry").ValidateDataAnnotations()
            .Validate(o => o.OtlpEndpoint is null || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), "Signals:Telemetry:OtlpEndpoint must be an absolute URL")
            .Validate(o => o.OtlpProtocol is null or "grpc" or "http/protobuf", "Signals:Telemetry:OtlpProtocol must be grpc or http/protobuf")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection("Signals:Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();

        // Every line starts with its UTC time, to the millisecond.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            o.UseUtcTimestamp = true;
            o.SingleLine = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("orleanssignals"))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        var otlp = options.OtlpEndpoint ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            // Not the HttpClient instrumentation: it would add traceparent headers to customers' webhook requests.
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Path != MetricsPath)
                .AddNpgsql()
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddOtlpExporter(o =>
                {
                    if (options.OtlpEndpoint is { } endpoint) o.Endpoint = new Uri(endpoint);
                    if (options.OtlpProtocol is { } protocol)
                        o.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                }));
        }
        return builder;
    }

    /// <summary>The access log (outermost, so it sees the status the client got) and <c>/metrics</c>. Call before <c>MapSignals</c>.</summary>
    public static WebApplication UseSignalsTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.AccessLog) app.UseMiddleware<AccessLog>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch =>
        {
            if (options.MetricsRequireOperatorToken) branch.Use(RequireOperatorAsync);
        }, optionsName: null);
        return app;
    }

    private static async Task RequireOperatorAsync(HttpContext http, RequestDelegate next)
    {
        if (WorkspaceAuth.IsOperator(http, WorkspaceAuth.BearerToken(http.Request)))
        {
            await next(http);
            return;
        }
        http.Response.Headers.WWWAuthenticate = "Bearer";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.",
            detail: "/metrics needs the operator token (Signals:AdminToken) as 'Authorization: Bearer <token>' (Signals:Telemetry:MetricsRequireOperatorToken).")
            .ExecuteAsync(http);
    }
}
