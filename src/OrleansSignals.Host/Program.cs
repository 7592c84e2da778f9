using OrleansSignals.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddSignals();

var app = builder.Build();
if (Environment.GetEnvironmentVariable("GCLOG") == "1") { var listener = new AllocListener(); app.Lifetime.ApplicationStopping.Register(AllocListener.Dump); }
if (Environment.GetEnvironmentVariable("GCLOG") == "1")
    new Thread(() => { long a0 = GC.GetTotalAllocatedBytes(); while (true) { Thread.Sleep(5000); var i = GC.GetGCMemoryInfo(GCKind.Any); var a = GC.GetTotalAllocatedBytes(); Console.Error.WriteLine($"GCLOG g0={GC.CollectionCount(0)} g1={GC.CollectionCount(1)} g2={GC.CollectionCount(2)} pause={GC.GetTotalPauseDuration().TotalMilliseconds:F0}ms heap={GC.GetTotalMemory(false)/1048576}MB alloc/s={(a-a0)/5/1048576}MB promoted={i.PromotedBytes/1048576}MB gen={i.Generation}"); a0 = a; } }) { IsBackground = true }.Start();
app.MapSignals();
app.Run();

/// <summary>The silo's entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
