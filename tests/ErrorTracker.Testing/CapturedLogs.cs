using Microsoft.Extensions.Logging;

namespace ErrorTracking.Testing;

/// <summary>One log entry, with everything that could carry a secret: the message, the state's values and the exception.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string State, string? Exception)
{
    /// <summary>All the entry's text in one string, to search for secrets.</summary>
    public string AllText => $"{Category} {Message} {State} {Exception}";
}

/// <summary>A logger provider that keeps every entry at every level, Trace included.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<CapturedLog> _entries = [];

    /// <summary>The entries so far.</summary>
    public IReadOnlyList<CapturedLog> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state?.ToString() ?? "";
            lock (owner._lock)
            {
                owner._entries.Add(new CapturedLog(category, logLevel, formatter(state, exception), values, exception?.ToString()));
            }
        }
    }
}
