namespace OrleansSignals.Cli;

/// <summary>Process exit codes, so scripts can tell outcomes apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The API refused the request (a problem details response) or the export run failed.</summary>
    public const int Failed = 1;

    /// <summary>The host could not be reached, or answered something that is not the API.</summary>
    public const int Unreachable = 3;
}
