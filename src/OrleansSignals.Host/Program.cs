using OrleansSignals.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddSignals();

var app = builder.Build();
app.MapSignals();
app.Run();

/// <summary>The silo's entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
