using System.Runtime.InteropServices;
using MeterBridge.Logging;

namespace MeterBridge.Cli;

/// <summary>
/// The signals <c>run</c> answers beyond SIGTERM and Ctrl+C (System.CommandLine's own): SIGHUP and SIGQUIT stop it
/// cleanly, as SIGTERM does (the D-Bus name released, the broker left with a DISCONNECT, exit code 0); SIGUSR1 and
/// SIGUSR2 are logged and ignored. Without this each of them would kill the process where it stands.
/// </summary>
/// <remarks>
/// SIGHUP is daemontools' <c>svc -h</c>: supervise then starts the service again, which reads the config anew, so
/// a stop is the reload. SIGUSR1/SIGUSR2 (<c>svc -1</c>, <c>svc -2</c>) mean nothing here: a meter that vanishes
/// from the GX over a stray signal costs more than a signal that does nothing, and a stop is one <c>svc -d</c> away.
/// </remarks>
internal sealed class StopSignals : IDisposable
{
    // Linux numbers (the same on x86, ARM and ARM64); PosixSignal names only the portable ones, and a raw number cast
    // to PosixSignal is documented to work.
    private const PosixSignal SIGUSR1 = (PosixSignal)10;
    private const PosixSignal SIGUSR2 = (PosixSignal)12;

    private readonly CancellationTokenSource _stop;
    private readonly Log _log;
    private readonly PosixSignalRegistration[] _registrations;

    private StopSignals(Log log, CancellationToken stop)
    {
        _log = log;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Stop(context, "SIGHUP: stopping; daemontools starts the service again, with the config as it is now")),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => Stop(context, "SIGQUIT: stopping")),
            PosixSignalRegistration.Create(SIGUSR1, context => Ignore(context, "SIGUSR1")),
            PosixSignalRegistration.Create(SIGUSR2, context => Ignore(context, "SIGUSR2")),
        ];
    }

    /// <summary>Answers the signals until disposed; <see cref="Token"/> is cancelled by <paramref name="stop"/> or a stop signal.</summary>
    public static StopSignals Register(Log log, CancellationToken stop) => new(log, stop);

    public CancellationToken Token => _stop.Token;

    private void Stop(PosixSignalContext context, string message)
    {
        context.Cancel = true; // no default action (terminate, or a core dump for SIGQUIT): the bridge stops itself
        _log.Info(message);
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { /* a signal in flight while run returns: it is stopping already */ }
    }

    private void Ignore(PosixSignalContext context, string name)
    {
        context.Cancel = true;
        _log.Info($"{name} ignored (SIGHUP restarts, SIGTERM stops)");
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
