using MeterBridge.Cli;

// Socket completions run on the socket engine's thread instead of being posted to the thread pool: a message is then
// read, decoded and published on one thread (Mqtt/BridgeChannel.cs, Bridge/Bridge.cs), one wake-up instead of three.
// Read once, when the first socket is made, and only from the environment. Nothing that runs there blocks.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

return App.Run(args, AppIo.Process());
