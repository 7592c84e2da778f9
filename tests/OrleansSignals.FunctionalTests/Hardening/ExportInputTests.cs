using System.Net;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Hardening;

/// <summary>Issue 12, item 10: an S3 export on a server without S3 is refused when it is asked for, naming the setting.</summary>
public sealed class ExportInputTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    [Fact]
    public async Task An_s3_export_without_s3_configured_is_refused_at_creation_naming_the_setting()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/datalake/exports",
            """{"dataset":"events","format":"csv","destination":{"type":"s3","bucket":"lake"}}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("Signals:Exports:S3:ServiceUrl", problem.GetProperty("errors").GetProperty("destination")[0].GetString());
        var schedule = await (await client.PostRaw("/api/datalake/schedules",
            """{"dataset":"events","format":"csv","destination":{"type":"s3","bucket":"lake"},"cadence":"daily","at":"06:00"}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("not configured", schedule.GetProperty("errors").GetProperty("destination")[0].GetString());
        Assert.Equal(0, (await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }
}
