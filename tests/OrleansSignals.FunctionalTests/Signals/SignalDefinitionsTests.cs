using System.Net;
using System.Net.Http.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Signals;

/// <summary>Signal definitions and delivery configs: CRUD, defaults, and bad input refused by field with nothing stored.</summary>
public sealed class SignalDefinitionsTests(PipelineFactory factory) : IClassFixture<PipelineFactory>
{
    [Fact]
    public async Task A_definition_gets_its_defaults_and_can_be_read_replaced_and_deleted_and_its_type_is_unique()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await client.NoSchedule();
        var created = await client.DefineSignal(new { type = "busy_account", name = "Busy", event_name = "login", condition_operator = "gte", condition_value = 3, time_window_days = 7 });
        Assert.Equal("events", created.GetProperty("source").GetString());
        Assert.Equal("account", created.GetProperty("level").GetString());
        Assert.Equal("customer", created.GetProperty("origin").GetString());
        Assert.True(created.GetProperty("is_active").GetBoolean());

        var again = await client.PostAsJsonAsync("/api/signals/definitions", new { type = "busy_account", event_name = "x", condition_operator = "gt", condition_value = 1, time_window_days = 1 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var replaced = await (await client.PutAsJsonAsync("/api/signals/definitions/busy_account",
            new { event_name = "login", condition_operator = "gte", condition_value = 5, time_window_days = 14, level = "person" })).Json(HttpStatusCode.OK);
        Assert.Equal(5, replaced.GetProperty("condition_value").GetDouble());
        Assert.Equal("person", replaced.GetProperty("level").GetString());
        var read = await (await client.GetAsync("/api/signals/definitions/busy_account")).Json(HttpStatusCode.OK);
        Assert.Equal(14, read.GetProperty("time_window_days").GetInt32());

        var candidate = await (await client.PostAsJsonAsync("/api/signals/candidates",
            new { type = "agent_guess", event_name = "export", condition_operator = "gte", condition_value = 2, time_window_days = 30 })).Json(HttpStatusCode.Created);
        Assert.Equal("agent", candidate.GetProperty("origin").GetString());
        Assert.False(candidate.GetProperty("is_active").GetBoolean());

        var list = await (await client.GetAsync("/api/signals/definitions")).Json(HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/signals/definitions/busy_account")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/signals/definitions/busy_account")).StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"t1","event_name":"login","condition_operator":"about","condition_value":3,"time_window_days":7}""", "condition_operator")]
    [InlineData("""{"type":"t1","event_name":"login","condition_operator":"gte","condition_value":3,"time_window_days":-1}""", "time_window_days")]
    [InlineData("""{"type":"t1","event_name":"login","condition_operator":"gte","condition_value":3,"time_window_days":7,"windw":3}""", "windw")]
    [InlineData("""{"type":"t1","event_name":"login","condition_operator":"gte","condition_value":"3","time_window_days":7}""", "condition_value")]
    [InlineData("""{"type":"t1","source":"crm","event_name":"login","condition_operator":"gte","condition_value":3,"time_window_days":7}""", "source")]
    [InlineData("""{"type":"t1","level":"team","event_name":"login","condition_operator":"gte","condition_value":3,"time_window_days":7}""", "level")]
    [InlineData("""{"type":"T 1","event_name":"login","condition_operator":"gte","condition_value":3,"time_window_days":7}""", "type")]
    [InlineData("""{"type":"t1","condition_operator":"gte","condition_value":3,"time_window_days":7}""", "event_name")]
    public async Task A_bad_definition_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/signals/definitions", body)).Json(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var list = await (await client.GetAsync("/api/signals/definitions")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"signal_type":"*","destination_type":"fax"}""", "destination_type")]
    [InlineData("""{"signal_type":"*","destination_type":"attio_list","destination_config":{}}""", "destination_config.list_id")]
    [InlineData("""{"signal_type":"*","destination_type":"attio_list","destination_config":{"list_id":"l1","lst":"x"}}""", "destination_config.lst")]
    [InlineData("""{"signal_type":"*","destination_type":"webhook","destination_config":{"url":"http://127.0.0.1/"}}""", "destination_config.url")]
    [InlineData("""{"destination_type":"webhook"}""", "signal_type")]
    public async Task A_bad_delivery_config_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/signals/delivery-configs", body)).Json(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var list = await (await client.GetAsync("/api/signals/delivery-configs")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_delivery_config_is_unique_per_signal_type_and_destination_type()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var config = new { signal_type = "busy", destination_type = "attio_list", destination_config = new { list_id = "hot-accounts" } };
        var created = await (await client.PostAsJsonAsync("/api/signals/delivery-configs", config)).Json(HttpStatusCode.Created);
        Assert.Equal("hot-accounts", created.GetProperty("destination_config").GetProperty("list_id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/signals/delivery-configs", config)).StatusCode);
        // Another destination type for the same signal type is a config of its own.
        await (await client.PostAsJsonAsync("/api/signals/delivery-configs", new { signal_type = "busy", destination_type = "webhook" })).Json(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var replaced = await (await client.PutAsJsonAsync($"/api/signals/delivery-configs/{id}",
            new { signal_type = "busy", destination_type = "attio_list", destination_config = new { list_id = "warm", @object = "people" }, is_active = false })).Json(HttpStatusCode.OK);
        Assert.False(replaced.GetProperty("is_active").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/signals/delivery-configs/{id}")).StatusCode);
        var list = await (await client.GetAsync("/api/signals/delivery-configs")).Json(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }
}
