using Microsoft.Extensions.Logging;

namespace BibServer.Server.Logging;

/// <summary>
/// Logs to standard error, the one channel that works before the client is connected and after it is gone.
/// Standard output belongs to JSON-RPC alone, so nothing here may ever write there.
/// </summary>
internal sealed class StderrLoggerProvider(TextWriter writer, LogLevelSwitch level) : ILoggerProvider
{
    private readonly Lock _gate = new();

    private void Write(string line)
    {
        lock (_gate)
        {
            // A closed standard error must not take the server down with it.
            try { writer.WriteLine(line); writer.Flush(); } catch (IOException) { } catch (ObjectDisposedException) { }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, ShortCategory(categoryName));

    public void Dispose() { }

    internal static string ShortCategory(string category) =>
        category.StartsWith("BibServer.", StringComparison.Ordinal) ? category[(category.LastIndexOf('.') + 1)..] : category;

    private sealed class Logger(StderrLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => provider.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"bibserver {LogLevels.ShortName(logLevel)} {category}: {formatter(state, exception)}";
            if (exception is not null) line += Environment.NewLine + exception;
            provider.Write(line);
        }
    }

    private bool IsEnabled(LogLevel logLevel) => level.IsEnabled(logLevel);
}
