using System.Net.Sockets;
using Npgsql;

namespace OrleansSignals.Grains;

/// <summary>
/// Turns a database failure inside a grain call into <see cref="GrainUnavailableException"/> before the answer leaves the
/// silo: Orleans has no codec for Npgsql's exceptions, so they would reach an API-only host as a serialization error
/// (a 500) instead of the 503 a database outage deserves. Storage-provider failures arrive wrapped; the inner chain is searched.
/// </summary>
public sealed class DatabaseFailureCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw new GrainUnavailableException("The database cannot be reached. Retry the request later.");
        }
    }

    private static bool IsDatabaseFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException or SocketException or TimeoutException) return true;
        }
        return false;
    }
}
