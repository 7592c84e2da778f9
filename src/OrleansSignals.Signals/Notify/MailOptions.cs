using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace OrleansSignals.Signals.Notify;

/// <summary>
/// The SMTP server the digest mail goes out through (section <c>Mail</c>), validated at start-up. Without a
/// <see cref="Host"/> mail is not configured and the pipeline's notify step is skipped, saying so.
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    /// <summary>The SMTP server: an IP address or a host name. Empty: mail is not configured.</summary>
    public string? Host { get; set; }

    /// <summary>Its port; 0 (default): 465 with <see cref="MailSecurity.SslOnConnect"/>, else 587.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>The sender, <c>ops@acme.com</c> or <c>OrleansSignals &lt;ops@acme.com&gt;</c>. Required with a host.</summary>
    public string? From { get; set; }

    /// <summary>SMTP AUTH user; empty: no authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>SMTP AUTH password, with <see cref="UserName"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Connection security. Default <see cref="MailSecurity.StartTls"/> (required, so credentials never go out in clear).</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>Longest one SMTP operation (connect, a command, a message) may take. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where recipients reach this server's API, for the unsubscribe link: <c>https://signals.acme.com</c> (a path
    /// prefix is kept). Required with a host.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Base64 of at least 32 random bytes: the HMAC-SHA256 key that signs unsubscribe links; every host needs the
    /// same. Empty: derived from <c>Signals:AdminToken</c> (HKDF-SHA256), which every host shares too.
    /// </summary>
    public string? UnsubscribeSecret { get; set; }

    /// <summary>How long an unsubscribe link works after its mail was sent. Default 365 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan UnsubscribeLinkLifetime { get; set; } = TimeSpan.FromDays(365);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The port connected to: <see cref="Port"/>, or the submission port its security implies.</summary>
    public int EffectivePort => Port != 0 ? Port : Security == MailSecurity.SslOnConnect ? 465 : 587;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(UnsubscribeSecret) && !IsSecret(UnsubscribeSecret))
            yield return new ValidationResult("Mail:UnsubscribeSecret must be base64 of at least 32 bytes", [nameof(UnsubscribeSecret)]);
        if (!string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(UserName))
            yield return new ValidationResult("Mail:Password is set without Mail:UserName", [nameof(Password)]);
        if (!IsConfigured) yield break;
        if (Uri.CheckHostName(Host) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            yield return new ValidationResult("Mail:Host must be an IP address or a host name (no scheme, port or path)", [nameof(Host)]);
        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
            yield return new ValidationResult("Mail:From must be a mail address such as ops@acme.com when Mail:Host is set", [nameof(From)]);
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.Query))
            yield return new ValidationResult(
                "Mail:PublicBaseUrl must be the absolute http(s) URL recipients reach this server's API at (the unsubscribe link) when Mail:Host is set",
                [nameof(PublicBaseUrl)]);
    }

    private static bool IsSecret(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= 32;
    }
}
