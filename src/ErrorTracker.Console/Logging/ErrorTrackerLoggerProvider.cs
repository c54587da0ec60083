using ErrorTracking.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Hosting.Logging;

/// <summary>
/// Turns log entries that carry an exception, at or above a level, into recorded errors: the log message and its
/// structured values become context (masked like everything else). The tracker's own categories are never
/// recorded, so its diagnostics cannot feed back into it.
/// </summary>
[ProviderAlias("ErrorTracker")]
internal sealed class ErrorTrackerLoggerProvider : ILoggerProvider
{
    private readonly IServiceProvider _services;
    private readonly LogLevel _minimumLevel;
    private readonly AsyncLocal<bool> _recording = new();
    private IErrorTracker? _tracker;
    private volatile bool _unavailable;

    public ErrorTrackerLoggerProvider(IServiceProvider services, ErrorTrackerLoggingSettings settings)
    {
        _services = services;
        _minimumLevel = settings.MinimumLevel;
    }

    public ILogger CreateLogger(string categoryName) => new TrackingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Record<TState>(string category, LogLevel level, EventId eventId, TState state, Exception exception, Func<TState, Exception?, string> formatter)
    {
        if (_unavailable || _recording.Value || ErrorTracker.IsInsideTracker)
        {
            return;
        }

        _recording.Value = true;
        try
        {
            // Resolved late: the tracker itself is built with loggers from the factory this provider belongs to.
            // A tracker that cannot be built (invalid options, a disposed container) turns this provider off
            // instead of failing every LogError of the application.
            try
            {
                _tracker ??= _services.GetService<IErrorTracker>();
            }
            catch (Exception)
            {
                _unavailable = true;
                return;
            }

            if (_tracker is null)
            {
                return;
            }

            var context = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["log.category"] = category,
                ["log.level"] = level.ToString(),
            };
            if (eventId.Id != 0 || eventId.Name is not null)
            {
                context["log.event_id"] = eventId.ToString();
            }

            // A structured entry is kept as its template and its named values, each masked by its name; the
            // formatted text would put a {Password} value where no name marks it as secret.
            var structured = false;
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "{OriginalFormat}")
                    {
                        context["log.template"] = value;
                        structured = true;
                    }
                    else
                    {
                        context["log." + key] = value;
                    }
                }
            }

            if (!structured)
            {
                context["log.message"] = formatter(state, exception);
            }

            _tracker.RecordException(exception, context: context);
        }
        catch (Exception)
        {
            // Logging must never fail because of the tracker.
        }
        finally
        {
            _recording.Value = false;
        }
    }

    private sealed class TrackingLogger(ErrorTrackerLoggerProvider provider, string category) : ILogger
    {
        private readonly bool _isTracker = category == ErrorTrackerDiagnostics.LogCategory;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => !_isTracker && logLevel != LogLevel.None && logLevel >= provider._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null && IsEnabled(logLevel))
            {
                provider.Record(category, logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
