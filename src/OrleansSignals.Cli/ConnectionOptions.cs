using System.CommandLine;
using OrleansSignals.Cli.Api;

namespace OrleansSignals.Cli;

/// <summary><c>--url</c> / <c>SIGNALS_URL</c> and <c>--api-key</c> / <c>SIGNALS_API_KEY</c>; the option wins over the variable.</summary>
public sealed class ConnectionOptions
{
    /// <summary>Where <c>scripts/run.sh</c> starts the host.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public Option<string> Url { get; } = new("--url")
    {
        Description = $"Base URL of the OrleansSignals API (env SIGNALS_URL; default {DefaultUrl})",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SIGNALS_URL") is { Length: > 0 } url ? url : DefaultUrl,
    };

    /// <remarks>
    /// No default value factory for the environment variable: help prints an option's default, and it would print
    /// the key itself. The variable is read when the client is made.
    /// </remarks>
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The workspace API key (env SIGNALS_API_KEY)",
        Recursive = true,
    };

    /// <summary>A client for the parsed options; throws <see cref="CliException"/> when the key or URL is unusable.</summary>
    public SignalsApiClient Client(ParseResult parseResult)
    {
        var url = parseResult.GetValue(Url)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new CliException($"'{url}' is not an http(s) URL (--url or SIGNALS_URL).");
        var key = parseResult.GetValue(ApiKey)
            ?? (Environment.GetEnvironmentVariable("SIGNALS_API_KEY") is { Length: > 0 } fromEnvironment ? fromEnvironment : null)
            ?? throw new CliException("No API key: pass --api-key or set SIGNALS_API_KEY.");
        return new SignalsApiClient(baseUri, key);
    }
}
