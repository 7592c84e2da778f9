namespace OrleansSignals.Cli.Api;

/// <summary>The API answered with an error status; <see cref="Problem"/> is its problem details body when it sent one.</summary>
public sealed class ApiProblemException(int status, ApiProblem? problem, string? body)
    : Exception(problem?.Title ?? $"HTTP {status}")
{
    public int Status { get; } = status;
    public ApiProblem? Problem { get; } = problem;

    /// <summary>The raw body when it was not problem details (a proxy's error page, say), trimmed.</summary>
    public string? Body { get; } = body;
}
