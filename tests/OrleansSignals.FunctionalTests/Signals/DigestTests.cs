using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>
/// The notify step: each run's digest, read back from a real SMTP server (aiosmtpd on loopback), the rule that a run
/// with nothing new mails nothing, and the unsubscribe link followed through the API without an API key.
/// </summary>
public sealed class DigestTests(DigestFactory factory) : IClassFixture<DigestFactory>
{
    private static object Busy => new { type = "busy", name = "3+ logins", event_name = "login", condition_operator = "gte", condition_value = 3, time_window_days = 7 };

    /// <summary>Addresses of a domain of the test's own, so tests sharing the SMTP server never see each other's mail.</summary>
    private static string Address(string local, string domain) => $"{local}@{domain}";

    private static string NewDomain() => $"t{Guid.NewGuid():N}"[..12] + ".test";

    private async Task<(HttpClient Client, string Workspace)> WorkspaceAsync(string name, params string[] recipients)
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync(name);
        await client.NoSchedule();
        await (await client.PutAsJsonAsync("/api/workspace/notifications", new { recipients })).Json(HttpStatusCode.OK);
        return (client, workspace);
    }

    private static async Task AddBusyAccountAsync(HttpClient client, string account, DateTimeOffset at)
    {
        await (await client.PostEvents([.. Enumerable.Range(0, 3).Select(i => Event($"{account}-l{i}", account, "login", at.AddMinutes(-i)))])).Json(HttpStatusCode.Accepted);
    }

    private async Task WaitForAccountsAsync(string workspace, int count) =>
        await Eventually(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", workspace) == count,
            because: "the accounts are stored");

    private static string Text(MimeMessage m) => m.TextBody!.ReplaceLineEndings("\n");

    [Fact]
    public async Task The_digest_groups_new_signals_by_type_and_account_and_shows_each_definitions_change_in_conversion_and_an_empty_run_mails_nothing()
    {
        var domain = NewDomain();
        string ops = Address("ops", domain), cto = Address("cto", domain);
        var (client, workspace) = await WorkspaceAsync("Acme & <Co>", ops, cto);
        await (await client.PutAsJsonAsync("/api/signals/scoring", new { outcome_event = "upgraded", outcome_days = 1, min_support = 1 })).Json(HttpStatusCode.OK);
        var now = DateTimeOffset.UtcNow;
        // Busy two days ago (inside both the 7-day window and the scoring window that ends a day before the cutoff); a.com converted.
        await AddBusyAccountAsync(client, "a.com", now.AddDays(-2));
        await AddBusyAccountAsync(client, "b&c.com", now.AddDays(-2));
        await (await client.PostEvents(Event("a-up", "a.com", "upgraded", now.AddHours(-10)))).Json(HttpStatusCode.Accepted);
        // Twelve accounts without a login: more than the ten a type's list names.
        await (await client.PostEvents([.. Enumerable.Range(1, 12).Select(i => Event($"q{i}", $"q{i:00}.com", "visit", now.AddDays(-3)))])).Json(HttpStatusCode.Accepted);
        await WaitForAccountsAsync(workspace, 14);
        await client.DefineSignal(Busy);
        await client.DefineSignal(new { type = "quiet", name = "no login <7 days>", event_name = "login", condition_operator = "lt", condition_value = 1, time_window_days = 7 });

        var first = await client.RunPipeline();
        Assert.Equal("completed", first.GetProperty("status").GetString());
        var notify = first.Step("notify");
        Assert.Equal("completed", notify.GetProperty("status").GetString());
        Assert.Equal(14, notify.GetProperty("counts").GetProperty("signals").GetInt32());
        Assert.Equal(2, notify.GetProperty("counts").GetProperty("sent").GetInt32());

        var day = first.GetProperty("as_of").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd");
        var mail = Assert.Single(factory.Smtp.To(ops));
        Assert.Equal([ops], mail.Recipients);
        var message = mail.Message;
        Assert.Equal($"OrleansSignals: 14 new signals in Acme & <Co> ({day})", message.Subject);
        Assert.Equal("signals@acme.test", message.From.Mailboxes.Single().Address);
        Assert.Equal(ops, message.To.Mailboxes.Single().Address);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var unsubscribe = message.Headers["List-Unsubscribe"]!;
        Assert.StartsWith($"<{DigestFactory.PublicBaseUrl}/api/unsubscribe?token=", unsubscribe);
        // Each recipient's link is its own.
        Assert.NotEqual(unsubscribe, Assert.Single(factory.Smtp.To(cto)).Message.Headers["List-Unsubscribe"]);

        var text = Text(message);
        Assert.Contains("busy (3+ logins): 2 new, 2 accounts\n  - a.com\n  - b&c.com\n", text);
        Assert.Contains("quiet (no login <7 days>): 12 new, 12 accounts\n  - q01.com\n", text);
        Assert.Contains("  - q10.com\n  and 2 more accounts\n", text);
        Assert.DoesNotContain("q11.com", text);
        Assert.Contains("busy: conversion 50.0% of 2 matched accounts (first score)", text);
        Assert.Contains("quiet: conversion 0.0% of 12 matched accounts (first score)", text);
        Assert.Contains(unsubscribe.Trim('<', '>'), text);

        var html = message.HtmlBody;
        Assert.Contains("in Acme &amp; &lt;Co&gt;", html);
        Assert.Contains("<li>b&amp;c.com</li>", html);
        Assert.Contains("quiet (no login &lt;7 days&gt;): 12 new, 12 accounts", html);
        Assert.Contains("<li>and 2 more accounts</li>", html);
        Assert.DoesNotContain("<Co>", html);
        Assert.DoesNotContain("b&c.com", html);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(unsubscribe.Trim('<', '>'))}\"", html);

        // b&c.com converts and a new account is busy now (its logins are after the scoring window, so busy's base stays 2).
        await (await client.PostEvents(Event("bc-up", "b&c.com", "upgraded", DateTimeOffset.UtcNow.AddMinutes(-30)))).Json(HttpStatusCode.Accepted);
        await AddBusyAccountAsync(client, "d.com", DateTimeOffset.UtcNow.AddMinutes(-5));
        await WaitForAccountsAsync(workspace, 15);
        var second = await client.RunPipeline();
        Assert.Equal("completed", second.Step("notify").GetProperty("status").GetString());
        var latest = factory.Smtp.To(ops).Last().Message;
        Assert.Equal($"OrleansSignals: 1 new signal in Acme & <Co> ({second.GetProperty("as_of").GetDateTimeOffset().UtcDateTime:yyyy-MM-dd})", latest.Subject);
        var secondText = Text(latest);
        Assert.Contains("busy (3+ logins): 1 new, 1 account\n  - d.com\n", secondText);
        Assert.DoesNotContain("quiet (", secondText);
        Assert.Contains("busy: conversion 100.0% of 2 matched accounts (+50.0 pts since last run)", secondText);
        Assert.Contains("quiet: conversion 0.0% of 13 matched accounts (no change since last run)", secondText);

        // The same data again: nothing new, so no mail at all, and the step says why.
        var third = await client.RunPipeline();
        Assert.Equal("completed", third.GetProperty("status").GetString());
        var skipped = third.Step("notify");
        Assert.Equal("skipped", skipped.GetProperty("status").GetString());
        Assert.StartsWith("nothing new", skipped.GetProperty("reason").GetString());
        Assert.Equal(0, skipped.GetProperty("counts").GetProperty("signals").GetInt32());
        // The step finishes only after the server answered each message, so every mail it sent is already on disk.
        Assert.Equal(2, factory.Smtp.To(ops).Count);
        Assert.Equal(2, factory.Smtp.To(cto).Count);
    }

    [Fact]
    public async Task The_unsubscribe_link_works_without_an_api_key_and_stops_that_recipients_next_digest_only()
    {
        var domain = NewDomain();
        string ops = Address("ops", domain), cto = Address("cto", domain);
        var (client, workspace) = await WorkspaceAsync("Unsub Co", ops, cto);
        await AddBusyAccountAsync(client, "u1.com", DateTimeOffset.UtcNow.AddHours(-1));
        await WaitForAccountsAsync(workspace, 1);
        await client.DefineSignal(Busy);
        await client.RunPipeline();
        var link = Assert.Single(factory.Smtp.To(cto)).Message.Headers["List-Unsubscribe"]!.Trim('<', '>');
        Assert.StartsWith(DigestFactory.PublicBaseUrl + "/api/unsubscribe?token=", link);
        var path = link[DigestFactory.PublicBaseUrl.Length..];
        using var anonymous = factory.CreateClient();

        // Following the link (as a mail scanner would) only shows a page with a button.
        var page = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var pageHtml = await page.Content.ReadAsStringAsync();
        Assert.Contains(cto, pageHtml);
        Assert.Contains("<form method=\"post\"", pageHtml);
        Assert.Contains("name=\"List-Unsubscribe\" value=\"One-Click\"", pageHtml);
        Assert.Empty((await Settings(client)).GetProperty("unsubscribed").EnumerateArray());

        // A changed token is refused and changes nothing.
        var token = path[(path.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var tampered = "/api/unsubscribe?token=" + (token[0] == 'A' ? 'B' : 'A') + token[1..];
        var refused = await (await anonymous.PostAsync(tampered, OneClick())).Json(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("token", out _));
        await (await anonymous.GetAsync(tampered)).Json(HttpStatusCode.BadRequest);
        var forged = "/api/unsubscribe?token=" + token[..token.IndexOf('.', StringComparison.Ordinal)] + ".AAAA";
        await (await anonymous.PostAsync(forged, OneClick())).Json(HttpStatusCode.BadRequest);
        Assert.Empty((await Settings(client)).GetProperty("unsubscribed").EnumerateArray());

        // RFC 8058 one-click, as a mail provider sends it.
        var done = await anonymous.PostAsync(path, OneClick());
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("gets no more", await done.Content.ReadAsStringAsync());
        Assert.Equal([cto], (await Settings(client)).GetProperty("unsubscribed").EnumerateArray().Select(u => u.GetProperty("address").GetString()!).ToArray());

        // Listing the address again does not subscribe it again: only its owner can.
        var put = await (await client.PutAsJsonAsync("/api/workspace/notifications", new { recipients = new[] { ops, cto } })).Json(HttpStatusCode.OK);
        Assert.Single(put.GetProperty("unsubscribed").EnumerateArray());

        await AddBusyAccountAsync(client, "u2.com", DateTimeOffset.UtcNow.AddMinutes(-5));
        await WaitForAccountsAsync(workspace, 2);
        var run = await client.RunPipeline();
        Assert.Equal(1, run.Step("notify").GetProperty("counts").GetProperty("recipients").GetInt32());
        Assert.Equal(2, factory.Smtp.To(ops).Count);
        Assert.Single(factory.Smtp.To(cto));

        // The page's second button: subscribed again, the next digest reaches cto too.
        var again = await anonymous.PostAsync(path, new FormUrlEncodedContent([new("action", "resubscribe")]));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Empty((await Settings(client)).GetProperty("unsubscribed").EnumerateArray());
        await AddBusyAccountAsync(client, "u3.com", DateTimeOffset.UtcNow.AddMinutes(-5));
        await WaitForAccountsAsync(workspace, 3);
        await client.RunPipeline();
        Assert.Equal(3, factory.Smtp.To(ops).Count);
        Assert.Equal(2, factory.Smtp.To(cto).Count);
    }

    [Fact]
    public async Task A_refused_recipient_is_recorded_without_failing_the_others_and_a_busy_one_is_sent_once_when_the_run_resumes()
    {
        var domain = NewDomain();
        string ops = Address("ops", domain), refused = Address("refused", domain), busy = Address("busy", domain);
        var (client, workspace) = await WorkspaceAsync("Refusals", ops, refused, busy);
        await AddBusyAccountAsync(client, "r1.com", DateTimeOffset.UtcNow.AddHours(-1));
        await WaitForAccountsAsync(workspace, 1);
        await client.DefineSignal(Busy);

        var run = await client.RunPipeline();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        // The first attempt stopped on the busy mailbox's 451; the resumed one sent it and nothing else again.
        Assert.Equal(2, run.GetProperty("attempts").GetInt32());
        var notify = run.Step("notify");
        Assert.Equal("completed", notify.GetProperty("status").GetString());
        Assert.Equal(2, notify.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(1, notify.GetProperty("counts").GetProperty("refused").GetInt32());
        Assert.Contains($"{refused} (550 ", notify.GetProperty("error").GetString());
        Assert.Single(factory.Smtp.To(ops));
        Assert.Single(factory.Smtp.To(busy));
        Assert.Empty(factory.Smtp.To(refused));
    }

    [Fact]
    public async Task Recipients_are_validated_by_index_and_the_step_is_skipped_without_recipients_or_when_disabled()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync("Settings");
        await client.NoSchedule();
        var defaults = await Settings(client);
        Assert.True(defaults.GetProperty("digest_enabled").GetBoolean());
        Assert.Empty(defaults.GetProperty("recipients").EnumerateArray());

        var bad = await (await client.PutAsJsonAsync("/api/workspace/notifications", new
        {
            recipients = new[] { "ops@acme.test", "cto@acme.test", "not an address", "Ann <ann@acme.test>", "root@localhost", "OPS@acme.test" },
        })).Json(HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.Equal(["recipients[2]", "recipients[3]", "recipients[4]", "recipients[5]"], errors.EnumerateObject().Select(e => e.Name).Order().ToArray());
        Assert.Contains("recipients[0]", errors.GetProperty("recipients[5]")[0].GetString());
        var tooMany = await (await client.PutAsJsonAsync("/api/workspace/notifications", new
        {
            recipients = Enumerable.Range(0, 51).Select(i => $"a{i}@acme.test").ToArray(),
        })).Json(HttpStatusCode.BadRequest);
        Assert.True(tooMany.GetProperty("errors").TryGetProperty("recipients", out _));
        var unknown = await (await client.PutAsync("/api/workspace/notifications", JsonContent.Create(new { recipient = new[] { "ops@acme.test" } }))).Json(HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("recipient", out _));
        Assert.Empty((await Settings(client)).GetProperty("recipients").EnumerateArray());

        await AddBusyAccountAsync(client, "s1.com", DateTimeOffset.UtcNow.AddHours(-1));
        await WaitForAccountsAsync(workspace, 1);
        await client.DefineSignal(Busy);
        var none = (await client.RunPipeline()).Step("notify");
        Assert.Equal("skipped", none.GetProperty("status").GetString());
        Assert.StartsWith("no recipients", none.GetProperty("reason").GetString());

        var domain = NewDomain();
        var set = await (await client.PutAsJsonAsync("/api/workspace/notifications", new { digest_enabled = false, recipients = new[] { $"ops@{domain}" } })).Json(HttpStatusCode.OK);
        Assert.False(set.GetProperty("digest_enabled").GetBoolean());
        Assert.Equal([$"ops@{domain}"], set.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()!).ToArray());
        await AddBusyAccountAsync(client, "s2.com", DateTimeOffset.UtcNow.AddMinutes(-5));
        await WaitForAccountsAsync(workspace, 2);
        var disabled = (await client.RunPipeline()).Step("notify");
        Assert.Equal("skipped", disabled.GetProperty("status").GetString());
        Assert.StartsWith("digest disabled", disabled.GetProperty("reason").GetString());
        Assert.Empty(factory.Smtp.To($"ops@{domain}"));
    }

    private static FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);

    private static async Task<JsonElement> Settings(HttpClient client) =>
        await (await client.GetAsync("/api/workspace/notifications")).Json(HttpStatusCode.OK);
}
