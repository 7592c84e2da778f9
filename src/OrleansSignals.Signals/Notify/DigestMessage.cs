using System.Globalization;
using System.Net;
using System.Text;
using MimeKit;

namespace OrleansSignals.Signals.Notify;

/// <summary>
/// Writes a digest as one recipient's mail: plain text with an HTML alternative (every value HTML-escaped), the
/// recipient's own unsubscribe link in the body and in <c>List-Unsubscribe</c> with RFC 8058 one-click.
/// </summary>
public static class DigestMessage
{
    public static MimeMessage Compose(Digest digest, MailboxAddress from, string recipient, string unsubscribeUrl, string messageId)
    {
        var message = new MimeMessage { Subject = Subject(digest), MessageId = messageId };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Headers.Add(HeaderId.ListUnsubscribe, $"<{unsubscribeUrl}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        // RFC 3834: no out-of-office replies to a machine's mail.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = Text(digest, unsubscribeUrl), HtmlBody = Html(digest, unsubscribeUrl) }.ToMessageBody();
        return message;
    }

    public static string Subject(Digest d) =>
        $"OrleansSignals: {d.NewSignals} new signal{(d.NewSignals == 1 ? "" : "s")} in {OneLine(d.WorkspaceName)} ({Day(d)})";

    /// <summary>"conversion 12.0% of 40 matched accounts (+1.5 pts since last run); outcome: plan = enterprise within 30 days", or what there is instead.</summary>
    public static string ConversionLine(ConversionChange c)
    {
        var outcome = c.Outcome is null ? "" : $"; outcome: {OneLine(c.Outcome)}";
        if (c.Conversion is not { } now)
            return c.Matched == 0 ? "no account matched in the scoring window" + outcome : $"{c.Matched} accounts matched; no outcome configured (PUT /api/signals/scoring)";
        return $"conversion {Percent(now)} of {c.Matched} matched accounts ({Change(now, c)}){outcome}";

        static string Change(double now, ConversionChange c)
        {
            if (!c.HadPrevious) return "first score";
            if (c.OutcomeChanged) return "outcome changed since last run";
            if (c.PreviousConversion is not { } before) return "no conversion to compare with last run";
            var points = Math.Round((now - before) * 100, 1);
            return points == 0 ? "no change since last run" : $"{points.ToString("+0.0;-0.0", CultureInfo.InvariantCulture)} pts since last run";
        }
    }

    private static string Text(Digest d, string unsubscribeUrl)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{d.NewSignals} new signal{(d.NewSignals == 1 ? "" : "s")} in {OneLine(d.WorkspaceName)}, {Day(d)} (events up to {Cutoff(d)}).\n\n");
        text.Append("New signals, by type and account\n");
        foreach (var g in d.Groups)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{Title(g)}: {Counted(g)}\n");
            foreach (var (account, n) in g.TopAccounts) text.Append(CultureInfo.InvariantCulture, $"  - {OneLine(account)}{(n > 1 ? $" ({n})" : "")}\n");
            if (g.Accounts > g.TopAccounts.Count) text.Append(CultureInfo.InvariantCulture, $"  and {More(g)}\n");
        }
        if (d.Conversions.Count > 0)
        {
            text.Append("\nConversion since the last run\n");
            foreach (var c in d.Conversions) text.Append(CultureInfo.InvariantCulture, $"  {c.Type}: {ConversionLine(c)}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"\nYou get this digest as an admin address of {OneLine(d.WorkspaceName)}.\nUnsubscribe: {unsubscribeUrl}\n");
        return text.ToString();
    }

    private static string Html(Digest d, string unsubscribeUrl)
    {
        static string E(string value) => WebUtility.HtmlEncode(value);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family: sans-serif; color: #222\">");
        html.Append(CultureInfo.InvariantCulture,
            $"<p><strong>{d.NewSignals} new signal{(d.NewSignals == 1 ? "" : "s")}</strong> in {E(d.WorkspaceName)}, {Day(d)} (events up to {Cutoff(d)}).</p>");
        html.Append("<h2 style=\"font-size: 16px\">New signals, by type and account</h2>");
        foreach (var g in d.Groups)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3 style=\"font-size: 14px; margin-bottom: 4px\">{E(Title(g))}: {Counted(g)}</h3><ul style=\"margin-top: 0\">");
            foreach (var (account, n) in g.TopAccounts) html.Append(CultureInfo.InvariantCulture, $"<li>{E(account)}{(n > 1 ? $" ({n})" : "")}</li>");
            if (g.Accounts > g.TopAccounts.Count) html.Append(CultureInfo.InvariantCulture, $"<li>and {More(g)}</li>");
            html.Append("</ul>");
        }
        if (d.Conversions.Count > 0)
        {
            html.Append("<h2 style=\"font-size: 16px\">Conversion since the last run</h2><ul>");
            foreach (var c in d.Conversions) html.Append(CultureInfo.InvariantCulture, $"<li><strong>{E(c.Type)}</strong>: {E(ConversionLine(c))}</li>");
            html.Append("</ul>");
        }
        html.Append(CultureInfo.InvariantCulture,
            $"<p style=\"color: #666; font-size: 12px\">You get this digest as an admin address of {E(d.WorkspaceName)}. <a href=\"{E(unsubscribeUrl)}\">Unsubscribe</a></p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Title(DigestGroup g) => g.Name == g.Type ? g.Type : $"{g.Type} ({OneLine(g.Name)})";

    private static string Counted(DigestGroup g) =>
        $"{g.Occurrences} new, {g.Accounts} account{(g.Accounts == 1 ? "" : "s")}";

    private static string More(DigestGroup g)
    {
        var more = g.Accounts - g.TopAccounts.Count;
        return $"{more} more account{(more == 1 ? "" : "s")}";
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Day(Digest d) => d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Cutoff(Digest d) => d.AsOf.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Stored names may hold line breaks; a subject or a text line must not.</summary>
    private static string OneLine(string value) => string.Concat(value.Select(c => char.IsControl(c) ? ' ' : c));
}
