using System.CommandLine;
using OrleansSignals.Cli.Api;
using OrleansSignals.Cli.Output;

namespace OrleansSignals.Cli.Commands;

/// <summary>Runs a command's body and turns the failures a user can act on into a message and an exit code.</summary>
public static class CommandAction
{
    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken);
            }
            catch (ApiProblemException ex)
            {
                ErrorReport.Problem(ex);
                return ExitCodes.Failed;
            }
            catch (HostUnreachableException ex)
            {
                ErrorReport.Message(ex.Message);
                return ExitCodes.Unreachable;
            }
            catch (CliException ex)
            {
                ErrorReport.Message(ex.Message);
                return ExitCodes.Failed;
            }
        });
}
