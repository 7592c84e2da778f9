using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Problems;
using OrleansSignals.Signals.Notify;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Signals;

/// <summary>
/// <c>/api/unsubscribe?token=...</c>, the link every digest carries; no API key: the signed token names the workspace
/// and the recipient. GET only shows a page with a button (mail scanners follow links); POST unsubscribes, with the
/// form body RFC 8058 one-click sends (<c>List-Unsubscribe=One-Click</c>), or subscribes again (<c>action=resubscribe</c>).
/// </summary>
public static class UnsubscribeApi
{
    /// <summary>The form a POST sends: one of the two fields.</summary>
    public sealed record UnsubscribeForm(
        [property: System.Text.Json.Serialization.JsonPropertyName("List-Unsubscribe")] string? ListUnsubscribe,
        string? Action);

    public static RouteGroupBuilder MapUnsubscribeApi(this RouteGroupBuilder open)
    {
        open.MapGet("/unsubscribe", ConfirmAsync).WithTags("Pipeline").Produces(StatusCodes.Status200OK, contentType: "text/html");
        open.MapPost("/unsubscribe", UnsubscribeAsync).WithTags("Pipeline").Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Accepts<UnsubscribeForm>("application/x-www-form-urlencoded");
        return open;
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem>> ConfirmAsync(
        string? token, HttpContext http, UnsubscribeTokens tokens, WorkspaceDirectory directory, CancellationToken cancellationToken)
    {
        if (tokens.Read(token, out var problem) is not { } who) return ApiProblems.Invalid("token", problem);
        var workspace = await WorkspaceNameAsync(directory, who.WorkspaceId, cancellationToken);
        return Page(http, "Unsubscribe from the digest", $"""
            <p>Stop mailing the daily signals digest of <strong>{E(workspace)}</strong> to <strong>{E(who.Recipient)}</strong>?</p>
            <form method="post" action="unsubscribe?token={E(WebUtility.UrlEncode(token!))}">
            <input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
            """);
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> UnsubscribeAsync(
        string? token, HttpContext http, UnsubscribeTokens tokens, NotificationStore store, WorkspaceDirectory directory, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem(detail: "Send the form body List-Unsubscribe=One-Click (application/x-www-form-urlencoded). Nothing was changed.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.");
        if (tokens.Read(token, out var problem) is not { } who) return ApiProblems.Invalid("token", problem);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var workspace = await WorkspaceNameAsync(directory, who.WorkspaceId, cancellationToken);
        var again = $"""<form method="post" action="unsubscribe?token={E(WebUtility.UrlEncode(token!))}">""";
        switch (form["action"].ToString(), form["List-Unsubscribe"].ToString())
        {
            case ("resubscribe", _):
                await store.ResubscribeAsync(who.WorkspaceId, who.Recipient, cancellationToken);
                return Page(http, "Subscribed again", $"""
                    <p><strong>{E(who.Recipient)}</strong> gets the daily signals digest of <strong>{E(workspace)}</strong> again, from its next run
                    (while the workspace lists the address).</p>
                    {again}<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
                    """);
            case ("", "One-Click"):
                await store.UnsubscribeAsync(who.WorkspaceId, who.Recipient, cancellationToken);
                return Page(http, "Unsubscribed", $"""
                    <p><strong>{E(who.Recipient)}</strong> gets no more daily signals digests of <strong>{E(workspace)}</strong>, from its next run on.</p>
                    {again}<input type="hidden" name="action" value="resubscribe"><button type="submit">Subscribe again</button></form>
                    """);
            case ("", _):
                return ApiProblems.Invalid("List-Unsubscribe", "must be One-Click (RFC 8058)");
            default:
                return ApiProblems.Invalid("action", "must be resubscribe, or left out to unsubscribe");
        }
    }

    private static async Task<string> WorkspaceNameAsync(WorkspaceDirectory directory, string workspaceId, CancellationToken cancellationToken) =>
        (await directory.GetAsync(workspaceId, cancellationToken))?.Name ?? workspaceId;

    private static string E(string value) => WebUtility.HtmlEncode(value);

    /// <summary>A small page of our own: never cached, never indexed, and the token in its URL never sent on as a referrer.</summary>
    private static ContentHttpResult Page(HttpContext http, string title, string body)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
        return TypedResults.Content($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{E(title)}}</title>
            <style>body { font-family: sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em; color: #222 }</style></head>
            <body><h1>{{E(title)}}</h1>
            {{body}}
            </body></html>
            """, "text/html; charset=utf-8");
    }
}
