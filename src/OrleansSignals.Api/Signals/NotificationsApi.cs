using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MimeKit;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Signals;
using OrleansSignals.Signals.Notify;

namespace OrleansSignals.Api.Signals;

/// <summary><c>/api/workspace/notifications</c>: whether the pipeline mails its daily digest, and to whom.</summary>
public static class NotificationsApi
{
    public const int MaxRecipients = 50;

    /// <summary>The body of a PUT; fields left out keep their value.</summary>
    public sealed record NotificationsRequest(bool? DigestEnabled, IReadOnlyList<string>? Recipients);

    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/workspace/notifications", GetAsync).WithTags("Pipeline");
        api.MapPut("/workspace/notifications", SetAsync).WithTags("Pipeline").Accepts<NotificationsRequest>("application/json");
        return api;
    }

    public static async Task<Ok<NotificationSettings>> GetAsync(HttpContext http, NotificationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetAsync(http.WorkspaceId(), cancellationToken));

    /// <summary>
    /// <c>{"digest_enabled", "recipients"}</c>. An address that unsubscribed stays unsubscribed when listed again: only
    /// its owner subscribes it again (through the link in any digest they got).
    /// </summary>
    public static async Task<Results<Ok<NotificationSettings>, ValidationProblem>> SetAsync(HttpContext http, NotificationStore store, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var workspace = http.WorkspaceId();
        var current = await store.GetAsync(workspace, cancellationToken);
        var f = new JsonFields(body, ["digest_enabled", "recipients"]);
        var enabled = f.Boolean("digest_enabled") ?? current.DigestEnabled;
        var recipients = current.Recipients;
        if (f.Element("recipients") is { } list) recipients = Recipients(list, f);
        if (f.Errors.Count > 0) return ApiProblems.Invalid(f.Errors);
        await store.SetAsync(workspace, enabled, recipients, cancellationToken);
        return TypedResults.Ok(await store.GetAsync(workspace, cancellationToken));
    }

    private static List<string> Recipients(JsonElement list, JsonFields f)
    {
        var recipients = new List<string>();
        if (list.ValueKind != JsonValueKind.Array)
        {
            f.Fail("recipients", "must be an array of mail addresses");
            return recipients;
        }
        if (list.GetArrayLength() > MaxRecipients) f.Fail("recipients", $"at most {MaxRecipients} recipients");
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"recipients[{i++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                f.Fail(field, "must be a mail address (a string)");
                continue;
            }
            var address = item.GetString()!.Trim();
            if (Problem(address) is { } problem) f.Fail(field, problem);
            else if (recipients.FindIndex(r => string.Equals(r, address, StringComparison.OrdinalIgnoreCase)) is var first and >= 0)
                f.Fail(field, $"is listed twice (recipients[{first}])");
            else recipients.Add(address);
        }
        return recipients;
    }

    /// <summary>Why <paramref name="address"/> is not a bare mail address with a domain (null when it is one).</summary>
    private static string? Problem(string address)
    {
        if (address.Length is 0 or > 254) return "must be a mail address of 3-254 characters, such as ops@acme.com";
        if (!MailboxAddress.TryParse(address, out var mailbox) || mailbox.Name is { Length: > 0 } || mailbox.Address != address)
            return "must be a bare mail address such as ops@acme.com (no display name)";
        var at = address.LastIndexOf('@');
        var domain = at > 0 ? address[(at + 1)..] : "";
        if (domain.Length == 0 || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains('['))
            return "must have a local part, an @ and a domain name such as acme.com";
        return null;
    }
}
