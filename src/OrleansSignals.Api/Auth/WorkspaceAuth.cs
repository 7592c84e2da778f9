using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c> resolves to one workspace; handlers read it with
/// <see cref="WorkspaceId"/> and only ever touch that workspace's data.
/// </summary>
public static class WorkspaceAuth
{
    private const string ItemKey = "signals.workspace";
    private const string TokenKey = "signals.bearer";

    public static RouteGroupBuilder RequireWorkspaceKey(this RouteGroupBuilder group)
    {
        // Not an async lambda: a key found in the directory's cache (nearly every request) goes on to the route without
        // a state machine of its own.
        group.AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            var key = BearerToken(http.Request);
            if (key is null) return ValueTask.FromResult<object?>(Unauthorized(http, "Send the workspace API key as 'Authorization: Bearer <key>'."));
            var lookup = http.RequestServices.GetRequiredService<WorkspaceDirectory>().FindByKeyAsync(key, http.RequestAborted);
            return lookup.IsCompletedSuccessfully ? Enter(lookup.Result, context, next) : EnterAsync(lookup, context, next);
        });
        return group;
    }

    private static ValueTask<object?> Enter(string? workspaceId, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (workspaceId is null) return ValueTask.FromResult<object?>(Unauthorized(context.HttpContext, "The API key is not valid."));
        context.HttpContext.Items[ItemKey] = workspaceId;
        return next(context);
    }

    private static async ValueTask<object?> EnterAsync(ValueTask<string?> lookup, EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await Enter(await lookup, context, next);

    public static RouteGroupBuilder RequireAdminToken(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!IsOperator(http, BearerToken(http.Request)))
                return Unauthorized(http, "This route needs the operator token (Signals:AdminToken) as 'Authorization: Bearer <token>'.");
            return await next(context);
        });
        return group;
    }

    /// <summary>Whether <paramref name="given"/> is the operator token (compared in constant time).</summary>
    public static bool IsOperator(HttpContext http, string? given)
    {
        var expected = http.RequestServices.GetRequiredService<IOptions<SignalsOptions>>().Value.AdminToken;
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
    }

    public static string WorkspaceId(this HttpContext context) =>
        context.Items[ItemKey] as string ?? throw new InvalidOperationException("The route group does not require a workspace key.");

    /// <summary>The workspace the request's key resolved to, or null (no key, or a route without one).</summary>
    public static string? WorkspaceIdOrNull(this HttpContext context) => context.Items[ItemKey] as string;

    /// <summary>
    /// The token of <c>Authorization: Bearer</c>, or null. Read once a request (the rate limiter and the key check both
    /// ask) and kept in the request's items.
    /// </summary>
    public static string? BearerToken(HttpRequest request)
    {
        var items = request.HttpContext.Items;
        if (items.TryGetValue(TokenKey, out var read)) return (string?)read;
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
        items[TokenKey] = token;
        return token;
    }

    /// <summary>401 with the challenge RFC 6750 asks for, so that clients know a bearer token is expected.</summary>
    private static IResult Unauthorized(HttpContext http, string detail)
    {
        if (!http.RequestServices.GetRequiredService<FailedAuthLimiter>().Allow(http))
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(detail: "Too many requests with a missing or wrong key from this address; retry after 1 s.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.", type: "https://tools.ietf.org/html/rfc6585#section-4");
        }
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.");
    }
}
