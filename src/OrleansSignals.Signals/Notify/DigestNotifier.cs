using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using OrleansSignals.Signals.Pipeline;

namespace OrleansSignals.Signals.Notify;

/// <summary>
/// The notify step: after delivery, the run's digest to each of the workspace's recipients who did not unsubscribe,
/// one mail each (each carries its own unsubscribe link). Skipped, saying why, when the digest is off, the run
/// stored nothing new, nobody is to receive it or mail is not configured. Each recipient is recorded
/// (<see cref="DigestMailStore"/>), so a resumed run mails only those still open.
/// </summary>
public sealed partial class DigestNotifier(
    NpgsqlDataSource dataSource, NotificationStore notifications, DigestMailStore mails, DigestQueries queries, UnsubscribeTokens tokens,
    SmtpMailer mailer, IOptions<MailOptions> options, ILogger<DigestNotifier> logger)
{
    /// <summary>True when the step is finished (completed or skipped); false when the slice ran out first.</summary>
    public async Task<bool> NotifyAsync(PipelineRun run, Slice slice, Func<Task> renew, Stopwatch watch, CancellationToken cancellationToken)
    {
        var signals = await queries.NewSignalsAsync(run.Id, cancellationToken);
        var planned = await mails.ListAsync(run.Id, cancellationToken);
        if (planned.Count == 0)
        {
            var settings = await notifications.GetAsync(run.WorkspaceId, cancellationToken);
            var recipients = settings.Active();
            var reason = !settings.DigestEnabled ? "digest disabled (PUT /api/workspace/notifications)"
                : signals == 0 ? "nothing new: this run stored no new signals"
                : recipients.Count == 0 && settings.Recipients.Count == 0 ? "no recipients (PUT /api/workspace/notifications)"
                : recipients.Count == 0 ? "no recipients: every recipient unsubscribed"
                : !options.Value.IsConfigured ? "mail not configured: the server has no Mail:Host"
                : null;
            if (reason is not null) return await SkipAsync(run, reason, signals, recipients.Count, watch, cancellationToken);
            await mails.PlanAsync(run.Id, run.WorkspaceId, recipients, cancellationToken);
            planned = await mails.ListAsync(run.Id, cancellationToken);
        }
        else if (!options.Value.IsConfigured)
        {
            return await SkipAsync(run, "mail not configured: the server has no Mail:Host", signals, planned.Count, watch, cancellationToken);
        }

        if (!await SendAsync(run, planned.Where(m => m.Open).ToList(), slice, renew, cancellationToken)) return false;

        var done = await mails.ListAsync(run.Id, cancellationToken);
        var refused = done.Where(m => m.Status == DigestMail.Refused).ToList();
        var counts = new Dictionary<string, long>
        {
            ["signals"] = signals,
            ["recipients"] = done.Count,
            ["sent"] = done.Count(m => m.Status == DigestMail.Sent),
            ["refused"] = refused.Count,
        };
        var error = refused.Count == 0 ? null
            : $"refused by the mail server: {string.Join("; ", refused.Select(m => $"{m.Recipient} ({m.Error})"))}";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await PipelineRunStore.FinishStepAsync(connection, run.Id, PipelineWords.Notify, PipelineWords.Completed, null, error, counts, watch.ElapsedMilliseconds, cancellationToken);
        return true;
    }

    /// <summary>Sends to each open recipient over one SMTP session; false when the slice ran out first.</summary>
    private async Task<bool> SendAsync(PipelineRun run, List<DigestMail> open, Slice slice, Func<Task> renew, CancellationToken cancellationToken)
    {
        if (open.Count == 0) return true;
        var digest = await queries.BuildAsync(run, cancellationToken);
        var from = MailboxAddress.Parse(options.Value.From!);
        SmtpClient? client = null;
        try
        {
            foreach (var mail in open)
            {
                if (!slice.TryTakeUnit()) return false;
                await renew();
                var message = DigestMessage.Compose(digest, from, mail.Recipient, tokens.Link(run.WorkspaceId, mail.Recipient), MessageId(run, mail.Recipient, from));
                await mails.MarkSendingAsync(run.Id, mail.Recipient, cancellationToken);
                try
                {
                    client ??= await mailer.ConnectAsync(cancellationToken);
                    await client.SendAsync(message, cancellationToken);
                }
                catch (Exception ex) when (SmtpMailer.PermanentRefusal(ex) is { } refusal)
                {
                    await mails.MarkRefusedAsync(run.Id, mail.Recipient, refusal, cancellationToken);
                    LogRefused(run.WorkspaceId, run.Id, mail.Recipient, refusal);
                    if (!client!.IsConnected)
                    {
                        client.Dispose();
                        client = null;
                    }
                    continue;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Not taken this time: the run stops here and is resumed (its MaxAttempts apply); sent ones stay sent.
                    var why = $"the mail server {mailer.Server} did not take the digest for {mail.Recipient}: {ex.Message}";
                    await mails.MarkPendingAsync(run.Id, mail.Recipient, why, CancellationToken.None);
                    throw new MailServerException(why, ex);
                }
                await mails.MarkSentAsync(run.Id, mail.Recipient, cancellationToken);
                LogSent(run.WorkspaceId, run.Id, mail.Recipient);
            }
            return true;
        }
        finally
        {
            if (client is not null)
            {
                if (client.IsConnected)
                {
                    try
                    {
                        await client.DisconnectAsync(quit: true, CancellationToken.None);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Every digest is already recorded; a QUIT the server does not answer changes nothing.
                        LogQuitFailed(ex, mailer.Server);
                    }
                }
                client.Dispose();
            }
        }
    }

    private async Task<bool> SkipAsync(PipelineRun run, string reason, int signals, int recipients, Stopwatch watch, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long> { ["signals"] = signals, ["recipients"] = recipients, ["sent"] = 0 };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await PipelineRunStore.FinishStepAsync(connection, run.Id, PipelineWords.Notify, PipelineWords.Skipped, reason, null, counts, watch.ElapsedMilliseconds, cancellationToken);
        LogSkipped(run.WorkspaceId, run.Id, reason);
        return true;
    }

    /// <summary>The same for every attempt at the same digest, so a duplicate after a crash is recognisably the same mail.</summary>
    private static string MessageId(PipelineRun run, string recipient, MailboxAddress from)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.ToLowerInvariant())))[..16];
        return $"digest.{run.Id:N}.{hash}@{from.Domain}";
    }

    [LoggerMessage(LogLevel.Information, "{Workspace} pipeline run {Run}: digest sent to {Recipient}")]
    private partial void LogSent(string workspace, Guid run, string recipient);

    [LoggerMessage(LogLevel.Warning, "{Workspace} pipeline run {Run}: the mail server refused the digest for {Recipient}: {Refusal}")]
    private partial void LogRefused(string workspace, Guid run, string recipient, string refusal);

    [LoggerMessage(LogLevel.Information, "{Workspace} pipeline run {Run}: digest skipped, {Reason}")]
    private partial void LogSkipped(string workspace, Guid run, string reason);

    [LoggerMessage(LogLevel.Debug, "QUIT to mail server {Server} failed")]
    private partial void LogQuitFailed(Exception ex, string server);
}
