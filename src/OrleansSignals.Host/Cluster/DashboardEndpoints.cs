using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using OrleansSignals.Api.Auth;

namespace OrleansSignals.Host.Cluster;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c>, for operators only: the operator token as a bearer token, or, so a
/// browser can open it, as the password of HTTP Basic authentication (any user name). <c>Orleans:Dashboard=false</c>
/// switches it off; hosts that run no silo have none.
/// </summary>
public static class DashboardEndpoints
{
    public const string Path = "/dashboard";

    public static WebApplication MapClusterDashboard(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ClusterSettings>>().Value;
        if (!settings.Dashboard || app.Services.GetService<ISiloStatusOracle>() is null) return app;
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (http, next) =>
        {
            if (WorkspaceAuth.IsOperator(http, WorkspaceAuth.BearerToken(http.Request) ?? BasicPassword(http.Request)))
            {
                await next(http);
                return;
            }
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"OrleansSignals dashboard\", charset=\"UTF-8\"";
            await TypedResults.Problem(detail: "The dashboard needs the operator token (Signals:AdminToken): as 'Authorization: Bearer <token>', or as the password when the browser asks.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.").ExecuteAsync(http);
        }));
        app.MapOrleansDashboard(Path);
        return app;
    }

    private static string? BasicPassword(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
