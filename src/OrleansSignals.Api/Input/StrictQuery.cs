using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrleansSignals.Api.Problems;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Input;

/// <summary>
/// Applied to every API route group: a query parameter the route does not read is a 400 naming it (a typo such as
/// <c>?lmit=5</c> would otherwise be ignored and the default applied without a word). A route's parameters are
/// read from its handler's signature (plus <see cref="AcceptsQueryAttribute"/>), so a new route is covered as it is
/// written. The same filter words a 400 by the method: a read that fails validation says so, not "Nothing was changed".
/// </summary>
public static class StrictQuery
{
    public const string ReadDetail = "A query parameter is invalid; see errors. Nothing was read.";
    public const string WriteDetail = "Nothing was changed.";

    public static TBuilder RejectUnknownQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var (names, prefixes) = Accepted(context.MethodInfo);
            var expected = names.Count == 0 && prefixes.Count == 0
                ? "this route takes no query parameters"
                : $"expected any of {string.Join(", ", names.Concat(prefixes.Select(p => p + "<name>")))}";
            return invocation =>
            {
                var http = invocation.HttpContext;
                var query = http.Request.Query;
                if (query.Count > 0)
                {
                    var unknown = query.Keys
                        .Where(k => !names.Contains(k) && !prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal) && k.Length > p.Length))
                        .Select(k => new FieldError(k, $"is not a query parameter of this route; {expected}"))
                        .ToList();
                    if (unknown.Count > 0) return ValueTask.FromResult<object?>(ApiProblems.Invalid(unknown, ReadOrWrite(http)));
                }
                var pending = next(invocation);
                if (!pending.IsCompletedSuccessfully) return WordAsync(pending, http);
                // A ValueTask is consumed once: its result is passed on in a new one.
                var result = pending.Result;
                Word(result, http);
                return ValueTask.FromResult(result);
            };
        });

    private static async ValueTask<object?> WordAsync(ValueTask<object?> pending, HttpContext http)
    {
        var result = await pending;
        Word(result, http);
        return result;
    }

    /// <summary>The detail a validation problem without one gets: what the client should know about its request.</summary>
    public static string ReadOrWrite(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? ReadDetail : WriteDetail;

    private static void Word(object? result, HttpContext http)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        if (result is ValidationProblem { ProblemDetails: { Detail: null } problem }) problem.Detail = ReadOrWrite(http);
    }

    private static (HashSet<string> Names, List<string> Prefixes) Accepted(MethodInfo method)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new List<string>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery) names.Add(fromQuery.Name ?? parameter.Name!);
            else if (parameter.GetCustomAttributes().Any(a => a is FromRouteAttribute or FromServicesAttribute or FromBodyAttribute or FromHeaderAttribute or FromFormAttribute)) continue;
            else if (IsQueryable(parameter.ParameterType)) names.Add(parameter.Name!);
        }
        foreach (var name in method.GetCustomAttribute<AcceptsQueryAttribute>()?.Names ?? [])
        {
            if (name.EndsWith(".*", StringComparison.Ordinal)) prefixes.Add(name[..^1]);
            else names.Add(name);
        }
        return (names, prefixes);
    }

    /// <summary>What minimal APIs bind from the query when a parameter has no attribute: strings, primitives and types with TryParse.</summary>
    private static bool IsQueryable(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) type = type.GetElementType()!;
        if (type == typeof(CancellationToken) || type == typeof(HttpContext) || type == typeof(HttpRequest)) return false;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal)
               || type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]) is not null
               || type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]) is not null;
    }
}
