using System.CommandLine;
using OrleansSignals.Cli.Commands;

namespace OrleansSignals.Cli;

/// <summary>The root command: <c>signals export | exports list | download</c>, with the connection options on every command.</summary>
public static class SignalsCommand
{
    public static RootCommand Create()
    {
        var connection = new ConnectionOptions();
        var root = new RootCommand("OrleansSignals from the command line: export datasets, list exports, download them.")
        {
            connection.Url,
            connection.ApiKey,
            ExportCommand.Create(connection),
            ExportsCommand.Create(connection),
            DownloadCommand.Create(connection),
        };
        return root;
    }
}
