using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Logging;

/// <summary>
/// Logs to the client with window/logMessage, at the level the client asked for. Messages logged before the
/// connection may carry them (that is, before initialize arrives) are not sent: the specification forbids it,
/// and standard error has them.
/// </summary>
internal sealed class ClientLoggerProvider(LogLevelSwitch level) : ILoggerProvider
{
    private volatile Action<LSP.LogMessageParams>? _send;

    public LogLevelSwitch Level => level;

    /// <summary>Starts sending; called once the client may receive log messages.</summary>
    public void Connect(Action<LSP.LogMessageParams> send) => _send = send;

    public void Disconnect() => _send = null;

    public ILogger CreateLogger(string categoryName) => new Logger(this, StderrLoggerProvider.ShortCategory(categoryName));

    public void Dispose() => _send = null;

    private sealed class Logger(ClientLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => provider._send is not null && provider.Level.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || provider._send is not { } send) return;
            var message = $"[{LogLevels.ShortName(logLevel)} {category}] {formatter(state, exception)}";
            if (exception is not null) message += Environment.NewLine + exception;
            send(new LSP.LogMessageParams(LogLevels.ToMessageType(logLevel), message));
        }
    }
}
