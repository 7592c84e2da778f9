namespace OrleansSignals.Signals.Notify;

/// <summary>How the SMTP connection is secured (<c>Mail:Security</c>), as MailKit's <c>SecureSocketOptions</c> name them.</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP, no TLS (a relay on the same machine or network).</summary>
    None,

    /// <summary>Plain connect, then STARTTLS, required (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>TLS on connect for port 465, otherwise STARTTLS when the server offers it.</summary>
    Auto,
}
