using OrleansSignals.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddSignals();

var app = builder.Build();
app.MapSignals();

// When this is the host's own process (not WebApplicationFactory inside a test process): a stop nobody asked
// for (a background service failed and the host stopped itself) must not look like a clean exit to a
// supervisor, so remember whether a signal asked for it.
var ownProcess = System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly;
var askedToStop = false;
using var onTerm = ownProcess ? System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => askedToStop = true) : null;
using var onInt = ownProcess ? System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, _ => askedToStop = true) : null;
app.Run();
if (!ownProcess) return;
if (!askedToStop && Environment.ExitCode == 0) Environment.ExitCode = 1;

// The host has stopped every service by now. If Quartz could not shut down cleanly (PostgreSQL
// unreachable), its dispatch threads are foreground threads that would keep the process alive
// after SIGTERM: end it explicitly.
Environment.Exit(Environment.ExitCode);

/// <summary>The silo's entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
