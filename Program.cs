using MeterBridge.Cli;

// Socket completions run on the socket engine's thread instead of being posted to the thread pool: D-Bus method calls
// and replies (and a QoS 1 connection's packets) are then handled where they are read: fewer thread hops.
// Read once, when the first socket is made, and only from the environment. Nothing that runs there blocks.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

return App.Run(args, AppIo.Process());
