using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Signals.Notify;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>The unsubscribe token on its own: what it names, and what it refuses (a changed token, another server's, an expired one).</summary>
public sealed class UnsubscribeTokensTests
{
    private static UnsubscribeTokens Tokens(TimeProvider time, string adminToken = "admin-token-of-this-server-0123", string? secret = null) =>
        new(Options.Create(new MailOptions { PublicBaseUrl = "https://127.0.0.1/signals/", UnsubscribeSecret = secret }),
            new ConfigurationBuilder().AddInMemoryCollection([new("Signals:AdminToken", adminToken)]).Build(), time);

    [Fact]
    public void A_token_names_its_workspace_and_recipient_until_it_expires_and_only_on_the_server_that_signed_it()
    {
        var clock = new ManualClock();
        var tokens = Tokens(clock);
        var link = tokens.Link("ws_1", "Ops@Acme.test");
        Assert.StartsWith("https://127.0.0.1/signals/api/unsubscribe?token=", link);
        var token = link[(link.IndexOf('=') + 1)..];

        Assert.Equal(("ws_1", "ops@acme.test"), tokens.Read(token, out _));
        Assert.Null(Tokens(clock, adminToken: "another-servers-admin-token-999").Read(token, out var foreign));
        Assert.Contains("not an unsubscribe token", foreign);
        Assert.Null(Tokens(clock, secret: Convert.ToBase64String(new byte[32])).Read(token, out _));
        Assert.Null(tokens.Read(token[..^2], out _));
        Assert.Null(tokens.Read("", out _));

        clock.Advance(TimeSpan.FromDays(364));
        Assert.NotNull(tokens.Read(token, out _));
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(tokens.Read(token, out var expired));
        Assert.Contains("expired", expired);
    }
}
