using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using Npgsql;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>The default host: every destination that is not a public address is refused, at creation and at connect time.</summary>
public sealed class PrivateNetworkTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    private const string Setting = "Signals:Hooks:AllowPrivateNetworks";

    [Fact]
    public async Task Every_special_purpose_range_is_refused_at_creation_naming_the_setting()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var hosts = new[]
        {
            "127.0.0.1", "10.1.2.3", "169.254.169.254", "100.64.0.1", "172.16.0.1", "192.168.0.1", "0.0.0.0", "192.0.0.1",
            "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
            "[::1]", "[::]", "[::127.0.0.1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]", "[64:ff9b:1::1]", "[2002:7f00:1::1]",
            "[2002:c000:201::1]", "[2001::1]", "[2001:db8::1]", "[3fff::1]", "[fc00::1]", "[fe80::1]", "[ff02::1]", "[100::1]",
            "localhost", "api.localhost",
        }.Concat(OwnAddresses());
        foreach (var host in hosts)
        {
            var response = await client.PostAsJsonAsync("/api/webhooks", new { url = $"http://{host}:9/x", event_types = new[] { "insight.triggered" } });
            var problem = await response.Json(HttpStatusCode.BadRequest);
            var error = problem.GetProperty("errors").GetProperty("url")[0].GetString()!;
            Assert.Contains("not a public address", error);
            Assert.Contains(Setting, error);
        }
        Assert.Empty((await (await client.GetAsync("/api/webhooks")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_destination_refused_at_connect_time_is_dead_lettered_at_once_with_one_clear_message()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        // As a name re-pointed at loopback after creation would: created disabled (nothing is sent), then
        // pointed at the loopback receiver behind the API's back and enabled.
        var (endpoint, _) = await client.CreateEndpoint(new { url = "https://example.com/hook", event_types = new[] { "insight.triggered" }, enabled = false });
        await using (var connection = new NpgsqlConnection(factory.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var repoint = new NpgsqlCommand("UPDATE webhook_endpoints SET url = $1, disabled_at = NULL, disabled_reason = NULL WHERE id = $2", connection);
            repoint.Parameters.Add(new() { Value = receiver.Url });
            repoint.Parameters.Add(new() { Value = endpoint });
            await repoint.ExecuteNonQueryAsync();
        }
        await (await client.PostAsync($"/api/webhooks/{endpoint}/test", null)).Json(HttpStatusCode.Accepted);

        await Infrastructure.Api.Eventually(async () => (await client.Deliveries(endpoint)) is [var d] && d.GetProperty("status").GetString() == "dead",
            because: "a refused destination is a dead letter after its first attempt");
        var delivery = (await client.Deliveries(endpoint, "dead-letters"))[0];
        var attempt = Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        var error = attempt.GetProperty("error").GetString()!;
        Assert.StartsWith("Refused: 127.0.0.1", error);
        Assert.Contains(Setting, error);
        Assert.Equal(error, delivery.GetProperty("last_error").GetString());
        Assert.Empty(receiver.Requests);
    }

    private static IEnumerable<string> OwnAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
            .Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || a.ScopeId == 0)
            .Select(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString());
}
