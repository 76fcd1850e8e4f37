using Xunit;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.DBus;

/// <summary>The D-Bus tests share one private daemon and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DBusCollection : ICollectionFixture<DBusDaemon>
{
    public const string Name = "dbus-daemon";
}
