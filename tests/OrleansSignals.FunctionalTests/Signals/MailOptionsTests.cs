using System.ComponentModel.DataAnnotations;
using OrleansSignals.Signals.Notify;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>What start-up refuses in <c>Mail:*</c> (the host validates it on start), and that no host means no mail.</summary>
public sealed class MailOptionsTests
{
    private static List<string> Problems(MailOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    [Fact]
    public void A_host_needs_a_sender_and_a_public_url_and_must_be_a_bare_address_or_name()
    {
        Assert.Empty(Problems(new MailOptions()));
        Assert.False(new MailOptions().IsConfigured);

        var problems = Problems(new MailOptions { Host = "smtp://127.0.0.1:25" });
        Assert.Contains(problems, p => p.StartsWith("Mail:Host", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Mail:From", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Mail:PublicBaseUrl", StringComparison.Ordinal));

        var good = new MailOptions { Host = "127.0.0.1", From = "OrleansSignals <signals@acme.test>", PublicBaseUrl = "https://127.0.0.1/signals" };
        Assert.Empty(Problems(good));
        Assert.Equal(587, good.EffectivePort);
        Assert.Equal(465, new MailOptions { Security = MailSecurity.SslOnConnect }.EffectivePort);
        Assert.Contains(Problems(new MailOptions { UnsubscribeSecret = Convert.ToBase64String(new byte[16]) }), p => p.StartsWith("Mail:UnsubscribeSecret", StringComparison.Ordinal));
        Assert.Contains(Problems(new MailOptions { Password = "x" }), p => p.StartsWith("Mail:Password", StringComparison.Ordinal));
    }
}
