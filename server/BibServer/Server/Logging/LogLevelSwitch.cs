using Microsoft.Extensions.Logging;

namespace BibServer.Server.Logging;

/// <summary>A minimum log level that can change while the server runs (the client sets it), read lock-free.</summary>
internal sealed class LogLevelSwitch(LogLevel level)
{
    private volatile int _level = (int)level;

    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)value;
    }

    public bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= Level;
}

internal static class LogLevels
{
    /// <summary>
    /// The LSP trace setting read as a log level. "off" turns off tracing, not logging, so informational
    /// messages still reach the client; "messages" and "verbose" open up the debug and trace levels.
    /// </summary>
    public static LogLevel FromTrace(string? trace) => trace switch
    {
        Protocol.TraceValue.Verbose => LogLevel.Trace,
        Protocol.TraceValue.Messages => LogLevel.Debug,
        _ => LogLevel.Information,
    };

    /// <summary>Reads the names people write in settings: the .NET names and the usual short ones.</summary>
    public static LogLevel? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" or "off" => LogLevel.None,
        _ => null,
    };

    public static Protocol.MessageType ToMessageType(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => Protocol.MessageType.Error,
        LogLevel.Warning => Protocol.MessageType.Warning,
        LogLevel.Information => Protocol.MessageType.Info,
        _ => Protocol.MessageType.Log,
    };

    public static string ShortName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
