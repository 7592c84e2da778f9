using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>One in-process host (WebApplicationFactory) on its own fresh PostgreSQL database.</summary>
public class SignalsFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminToken = "test-admin-token-0123456789";

    public TestDatabase Database { get; private set; } = null!;
    public ManualClock Clock { get; } = new();

    /// <summary>Connection string the host uses; a test may route it through a proxy.</summary>
    protected virtual string HostConnectionString => Database.ConnectionString;

    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        // Starting the server applies migrations before the first request is served.
        using var client = CreateClient();
        (await client.GetAsync("/readyz")).EnsureSuccessStatusCode();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Postgres", HostConnectionString);
        builder.UseSetting("Signals:AdminToken", AdminToken);
        builder.UseSetting("Signals:Reminders:SweepInterval", "00:00:01");
        builder.UseSetting("Signals:Reminders:CatchUpAfter", "00:00:00");
        builder.UseSetting("Orleans:SiloPort", TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Creates a workspace through the API and returns a client authenticated with its key.</summary>
    public async Task<(HttpClient Client, string WorkspaceId)> CreateWorkspaceAsync(string name = "Test")
    {
        var admin = CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var response = await admin.PostAsJsonAsync("/api/workspaces", new { name });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("api_key").GetString());
        return (client, body.GetProperty("id").GetString()!);
    }
}
