using OrleansSignals.Api;
using OrleansSignals.Api.Telemetry;
using OrleansSignals.Host.Cluster;

var builder = WebApplication.CreateBuilder(args);
builder.AddSignals();
builder.AddSignalsCluster();
builder.AddSignalsTelemetry();

var app = builder.Build();
app.UseSignalsTelemetry();
app.MapSignals();
app.MapClusterDashboard();

// When this is the host's own process (not WebApplicationFactory inside a test process): a stop nobody asked
// for (a background service failed and the host stopped itself) must not look like a clean exit to a supervisor.
var ownProcess = System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly;
var askedToStop = false;
using var onTerm = ownProcess ? System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => askedToStop = true) : null;
using var onInt = ownProcess ? System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, _ => askedToStop = true) : null;
if (ownProcess)
{
    // A silo leaving while PostgreSQL is unreachable can block in Orleans's own shutdown past HostOptions.ShutdownTimeout:
    // a supervisor's SIGTERM must still end the process in good time.
    app.Lifetime.ApplicationStopping.Register(() => new Thread(() =>
    {
        Thread.Sleep(TimeSpan.FromSeconds(12));
        Console.Error.WriteLine("The host did not stop within 12 s of being asked; exiting.");
        Environment.Exit(askedToStop ? 0 : 1);
    }) { IsBackground = true }.Start());
}
app.Run();
if (!ownProcess) return;
if (!askedToStop && Environment.ExitCode == 0) Environment.ExitCode = 1;

// Every service has stopped or given up (HostOptions.ShutdownTimeout); a silo still retrying an unreachable database
// on its own threads must not keep the process alive after SIGTERM.
Environment.Exit(Environment.ExitCode);

/// <summary>The silo's entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
