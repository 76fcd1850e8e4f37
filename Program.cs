using MeterBridge.Cli;

return App.Run(args, AppIo.Process());
