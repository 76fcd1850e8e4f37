using MeterBridge.Cli;

// Socket completions run on the socket engine's thread instead of being posted to the thread pool: D-Bus method calls
// and a QoS 1 subscription's messages are then handled where they are read, one wake-up instead of three.
// Read once, when the first socket is made, and only from the environment. Nothing that runs there blocks.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

return App.Run(args, AppIo.Process());
