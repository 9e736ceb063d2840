using Microsoft.Extensions.Logging;

namespace BibServer.Server.Logging;

/// <summary>
/// A logger for work that starts before the server's logging exists (the libraries read ahead from the
/// process's first moments): what it is told before <see cref="Target"/> is set is kept, and written there
/// when it is, in order; after that it writes there directly.
/// </summary>
internal sealed class LateLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, EventId Id, string Message, Exception? Exception)> _early = [];
    private ILogger? _target;

    public ILogger? Target
    {
        get => _target;
        set
        {
            lock (_gate)
            {
                _target = value;
                if (value is null) return;
                foreach (var (level, id, message, exception) in _early)
                    value.Log(level, id, message, exception, static (text, _) => text);
                _early.Clear();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _target?.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _target?.IsEnabled(logLevel) ?? logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            if (_target is null)
            {
                _early.Add((logLevel, eventId, formatter(state, exception), exception));
                return;
            }
        }
        _target.Log(logLevel, eventId, state, exception, formatter);
    }
}
