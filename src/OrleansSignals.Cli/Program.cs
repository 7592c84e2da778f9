using OrleansSignals.Cli;

return await SignalsCommand.Create().Parse(args).InvokeAsync();
