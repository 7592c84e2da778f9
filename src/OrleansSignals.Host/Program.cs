using OrleansSignals.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddSignals();

var app = builder.Build();
app.MapSignals();
app.Run();

// The host has stopped every service by now. If Quartz could not shut down cleanly (PostgreSQL
// unreachable), its dispatch threads are foreground threads that would keep the process alive
// after SIGTERM: end it explicitly. (Not when a test host runs this code: WebApplicationFactory
// returns here when it stops, inside the test process.)
if (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly) Environment.Exit(Environment.ExitCode);

/// <summary>The silo's entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
