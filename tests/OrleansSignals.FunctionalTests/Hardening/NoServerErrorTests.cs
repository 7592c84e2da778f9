using System.Net;
using System.Text;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hardening;

/// <summary>Issue 12, item 11: the inputs that answered 500 answer 400 naming the field (or the body), and change nothing.</summary>
public sealed class NoServerErrorTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    /// <summary>The five write routes, each with a valid body whose one string is <c>@@</c> (replaced by the bad text).</summary>
    public static readonly (string Method, string Path, string Body)[] WriteRoutes =
    [
        ("POST", "/api/events", """[{"event_id":"e1","account_id":"acme","event":"@@","timestamp":"2026-11-20T10:00:00Z"}]"""),
        ("POST", "/api/insights/definitions", """{"key":"idle","kind":"inactivity","days":14,"description":"@@"}"""),
        ("POST", "/api/webhooks", """{"url":"https://example.com/h","event_types":["insight.triggered"],"description":"@@"}"""),
        ("PUT", "/api/accounts/acme/traits", """{"plan":"@@"}"""),
        ("POST", "/api/datalake/exports", """{"dataset":"insight-snapshot","format":"csv","destination":{"type":"local","prefix":"@@"}}"""),
    ];

    public static TheoryData<int> Routes => new(Enumerable.Range(0, WriteRoutes.Length));

    private static HttpRequestMessage Request(int route, byte[] body) => new(new HttpMethod(WriteRoutes[route].Method), WriteRoutes[route].Path)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
    };

    private static byte[] With(int route, byte[] text)
    {
        var parts = WriteRoutes[route].Body.Split("@@");
        return [.. Encoding.UTF8.GetBytes(parts[0]), .. text, .. Encoding.UTF8.GetBytes(parts[1])];
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Invalid_utf8_is_a_400_that_says_where(int route)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var response = await client.SendAsync(Request(route, With(route, [0x61, 0xC3, 0x28, 0xFF])));
        var problem = await response.Json(HttpStatusCode.BadRequest);
        Assert.Contains("not valid UTF-8", problem.GetRawText());
        await NothingStored(client);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_lone_surrogate_is_a_400_naming_the_field(int route)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.SendAsync(Request(route, With(route, "x\\ud800y"u8.ToArray())))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("surrogate", problem.GetRawText());
        // And in a field name.
        var body = Encoding.UTF8.GetString(With(route, "ok"u8.ToArray())).Replace("\"@@\"", "\"ok\"");
        body = WriteRoutes[route].Path == "/api/events" ? body.Replace("\"event\":", "\"properties\":{\"\\udc00\":1},\"event\":") : body.Insert(1, "\"\\udc00\":1,");
        var named = await (await client.SendAsync(Request(route, Encoding.UTF8.GetBytes(body)))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("surrogate", named.GetRawText());
        await NothingStored(client);
    }

    [Fact]
    public async Task Usage_at_the_first_day_of_the_calendar_is_answered()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var usage = await (await client.GetAsync("/api/usage?to=0001-01-01")).Json(HttpStatusCode.OK);
        Assert.Equal(0, usage.GetProperty("delivered").GetInt64());
        await (await client.GetAsync("/api/usage?from=0001-01-01&to=9999-12-31")).Json(HttpStatusCode.OK);
    }

    private static async Task NothingStored(HttpClient client)
    {
        await (await client.GetAsync("/api/accounts/acme")).Json(HttpStatusCode.NotFound);
        Assert.Equal(0, (await (await client.GetAsync("/api/insights/definitions")).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await (await client.GetAsync("/api/webhooks")).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await (await client.GetAsync("/api/datalake/exports")).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }
}
