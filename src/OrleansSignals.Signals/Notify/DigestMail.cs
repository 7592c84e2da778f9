namespace OrleansSignals.Signals.Notify;

/// <summary>A run's digest to one recipient: pending, sending (the SMTP transaction may have happened), sent or refused (why).</summary>
public sealed record DigestMail(string Recipient, string Status, int Attempts, string? Error)
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Refused = "refused";

    /// <summary>Still to send: never tried, failed transiently, or cut short between the SMTP transaction and its record.</summary>
    public bool Open => Status is Pending or Sending;
}
