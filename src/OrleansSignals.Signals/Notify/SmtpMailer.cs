using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Signals.Notify;

/// <summary>Opens SMTP sessions to the configured server (MailKit), and tells a recipient's permanent refusal from a failure worth retrying.</summary>
public sealed class SmtpMailer(IOptions<MailOptions> options)
{
    public string Server => $"{options.Value.Host}:{options.Value.EffectivePort}";

    /// <summary>A connected (and, with a user name, authenticated) client; one session sends a run's digests.</summary>
    public async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(o.Host!, o.EffectivePort, o.Security switch
            {
                MailSecurity.None => SecureSocketOptions.None,
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                MailSecurity.Auto => SecureSocketOptions.Auto,
                _ => SecureSocketOptions.StartTls,
            }, cancellationToken);
            if (!string.IsNullOrEmpty(o.UserName)) await client.AuthenticateAsync(o.UserName, o.Password ?? "", cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The server's answer when it refused this recipient or this message for good (a 5xx reply to RCPT TO or to the
    /// message); null for anything worth another try (4xx, a dropped connection, a timeout, the sender refused).
    /// </summary>
    public static string? PermanentRefusal(Exception ex) =>
        ex is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } command && (int)command.StatusCode >= 500
            ? $"{(int)command.StatusCode} {command.Message}"
            : null;
}
