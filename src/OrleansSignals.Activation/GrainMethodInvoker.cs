using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace OrleansSignals.Activation;

/// <summary>
/// Turns an interface method into a call through the catalog, typed by the method's return type.
/// Built once per method and cached: the per-call cost is one delegate call and one reflection invoke.
/// </summary>
internal sealed class GrainMethodInvoker
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethodInvoker> Cache = new();
    private static readonly MethodInfo RunGeneric = typeof(GrainMethodInvoker).GetMethod(nameof(RunTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<GrainCatalog, Type, string, MethodInfo, object?[], bool, object> _run;
    private readonly MethodInfo _method;
    private readonly bool _interleave;

    private GrainMethodInvoker(MethodInfo method)
    {
        _method = method;
        _interleave = method.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true);
        var returnType = method.ReturnType;
        if (returnType == typeof(Task))
        {
            _run = static (catalog, type, key, m, args, interleave) => RunVoid(catalog, type, key, m, args, interleave);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            _run = RunGeneric.MakeGenericMethod(returnType.GetGenericArguments()[0])
                .CreateDelegate<Func<GrainCatalog, Type, string, MethodInfo, object?[], bool, object>>();
        }
        else
        {
            throw new NotSupportedException($"Grain method {method.DeclaringType?.Name}.{method.Name} must return Task or Task<T>.");
        }
    }

    public static GrainMethodInvoker For(MethodInfo method) => Cache.GetOrAdd(method, static m => new GrainMethodInvoker(m));

    public object Invoke(GrainCatalog catalog, Type grainInterface, string key, object?[] args) =>
        _run(catalog, grainInterface, key, _method, args, _interleave);

    private static object RunTyped<T>(GrainCatalog catalog, Type type, string key, MethodInfo method, object?[] args, bool interleave) =>
        catalog.RunAsync<T>(type, key, method, args, interleave);

    private static async Task RunVoid(GrainCatalog catalog, Type type, string key, MethodInfo method, object?[] args, bool interleave) =>
        await catalog.RunAsync<object?>(type, key, method, args, interleave);

    /// <summary>Calls the grain method and awaits it, unwrapping reflection's exception wrapper.</summary>
    public static async Task<T> Call<T>(MethodInfo method, Grain grain, object?[] args)
    {
        object? result;
        try
        {
            result = method.Invoke(grain, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
        switch (result)
        {
            case Task<T> typed:
                return await typed;
            case Task untyped:
                await untyped;
                return default!;
            default:
                throw new InvalidOperationException($"{method.Name} returned no task.");
        }
    }
}
