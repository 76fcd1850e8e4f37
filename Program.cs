using MeterBridge.Cli;
using MeterBridge.Config;

// Temporary entry point until the command line lands: `meterbridge decode` with defaults.
return args.Length > 0 && args[0] == "decode" ? DecodeCommand.Run(new Settings(), Console.In, Console.Out) : 2;
