using System.Net;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests;

/// <summary>
/// A real host behind a trusted proxy (loopback, as nginx on the same machine): the client address that the
/// failed-key limit counts by is the one the proxy forwards, not the proxy's own.
/// </summary>
public sealed class ForwardedClientTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _host = HostProcess.Start(_database.ConnectionString, "forwarded-admin-token-0123456789",
            ("Signals:RateLimit:FailedAuthPerSecond", "1"), ("Signals:RateLimit:FailedAuthBurst", "3"));
        await _host.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<HttpStatusCode> WrongKeyFrom(HttpClient client, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/accounts");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk_wrong");
        request.Headers.Add("X-Forwarded-For", address);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task One_client_guessing_keys_behind_the_proxy_does_not_throttle_another()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_host.Url) };
        var guesser = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) guesser.Add(await WrongKeyFrom(client, "203.0.113.7"));
        Assert.Contains(HttpStatusCode.TooManyRequests, guesser);

        // Another client of the same proxy still learns that its key is wrong.
        Assert.Equal(HttpStatusCode.Unauthorized, await WrongKeyFrom(client, "198.51.100.20"));
    }
}
