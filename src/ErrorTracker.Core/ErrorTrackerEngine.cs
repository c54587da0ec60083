using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using ErrorTracking.Capture;
using ErrorTracking.Configuration;
using ErrorTracking.Context;
using ErrorTracking.Diagnostics;
using ErrorTracking.Masking;
using ErrorTracking.Notification;
using ErrorTracking.Pipeline;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ErrorTracking;

/// <summary>
/// The tracker: capture on the caller's thread, then the bounded queue and the background writer. One instance
/// serves the static facade and the service collection alike.
/// </summary>
internal sealed class ErrorTrackerEngine : IErrorTracker, IAsyncDisposable, IDisposable
{
    /// <summary>What was recorded for an exception object, and how often it was thrown since.</summary>
    private sealed class RecordedThrow(string hash, string trace)
    {
        private int _throwsSince;

        public string Hash { get; } = hash;

        public string Trace { get; } = trace;

        public bool ThrownSince => Volatile.Read(ref _throwsSince) > 0;

        public void Thrown() => Interlocked.Increment(ref _throwsSince);
    }

    /// <summary>The decorated calls an exception passed through, innermost first.</summary>
    private sealed class FailedCalls
    {
        private readonly Lock _lock = new();
        private readonly List<MethodArguments> _calls = [];

        public void Add(MethodArguments call)
        {
            lock (_lock)
            {
                _calls.Add(call);
            }
        }

        public MethodArguments[] Take()
        {
            lock (_lock)
            {
                var taken = _calls.ToArray();
                _calls.Clear();
                return taken;
            }
        }
    }

    private readonly ErrorTrackerOptions _options;
    private readonly EventCapturer _capturer;
    private readonly BackgroundWriter _writer;
    private readonly DeliveryDispatcher _delivery;
    private readonly TimeSpan _shutdownTimeout;
    private readonly TimeProvider _time;
    private ShutdownDeadline? _shutdown;
    private readonly TrackerCounters _counters = new();
    private readonly TrackerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly AsyncLocal<ErrorScope?> _currentScope = new();
    private readonly ConditionalWeakTable<Exception, RecordedThrow> _recorded = new();
    private readonly ConditionalWeakTable<Exception, FailedCalls> _failedCalls = new();
    private readonly ThrowSignature _signatures = new();
    private int _disposed;

    private ErrorTrackerEngine(ErrorTrackerOptions options, IErrorStore store, IReadOnlyList<IContextBuilder> contextBuilders,
        IReadOnlyList<INotifier> notifiers, IReadOnlyList<ITicketing> ticketing, IMaskingRule maskingRule,
        ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        Store = store;
        _logger = loggerFactory.CreateLogger(TrackerLog.Category);
        var masker = new SecretMasker(
            maskingRule,
            options.MaskWith,
            options.MaskSecretsInText,
            options.MaskedValuePatterns.Select(SecretMasker.CompileUserPattern),
            SecretScanner.Select(options.DisabledSecretDetectors, options.SecretDetectors));
        var renderer = new ValueRenderer(masker, new CaptureLimits(options.MaxStringLength, options.MaxCollectionItems, options.MaxDepth, options.MaxValueNodes));
        var frames = new FrameReader(new InAppClassifier(options.InAppInclude, options.InAppExclude), new SourceContextReader(options.SourceContextLines, masker.MaskText));
        var application = options.ApplicationName ?? Assembly.GetEntryAssembly()?.GetName().Name;
        _capturer = new EventCapturer(renderer, frames, options.CaptureStaticFields ? new StaticFieldReader(renderer) : null,
            contextBuilders, time, application, options.IncludeMessageInFingerprint, options.Fingerprint, _logger);
        _delivery = new DeliveryDispatcher(options, notifiers, ticketing, store, time, _logger, _capturer.Describe);
        _writer = new BackgroundWriter(options, store, _delivery, _counters, _logger, _capturer.Describe, time);
        _shutdownTimeout = options.ShutdownTimeout;
        _time = time;
        _metrics = new TrackerMetrics(_counters, () => _writer.QueueLength, () => _writer.Pending);
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
        if (options.CaptureUnhandledExceptions)
        {
            AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
            TaskScheduler.UnobservedTaskException += OnUnobservedTaskException;
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }
    }

    /// <summary>The store occurrences are written to.</summary>
    public IErrorStore Store { get; }

    /// <inheritdoc />
    public ErrorTrackerStatistics Statistics => new(
        _counters.Recorded, _counters.Dropped, _counters.Stored, _counters.StoreFailures, _counters.Lost, _writer.QueueLength, _writer.Pending);

    /// <summary>
    /// Builds a tracker from options and, when there is one, a service provider. Components named in the options
    /// and those registered in the provider are used together; the store is the provider's (its default honours
    /// <see cref="ErrorTrackerOptions.Store"/>), the masking rule the options' first.
    /// </summary>
    public static ErrorTrackerEngine Create(ErrorTrackerOptions options, IServiceProvider? services)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<INotifier> notifiers = [.. options.Notifiers, .. services?.GetServices<INotifier>() ?? []];
        if (services is null)
        {
            // The service collection validates through IValidateOptions; without one, validate here, once.
            var result = new ErrorTrackerOptionsValidator([]).Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(ErrorTrackerOptions), result.Failures);
            }
        }

        return new ErrorTrackerEngine(
            options,
            services?.GetService<IErrorStore>() ?? options.Store ?? new InMemoryErrorStore(),
            [.. options.ContextBuilders, .. services?.GetServices<IContextBuilder>() ?? []],
            notifiers,
            [.. options.Ticketing, .. services?.GetServices<ITicketing>() ?? []],
            options.MaskingRule ?? services?.GetService<IMaskingRule>() ?? new KeyFragmentMaskingRule([.. options.MaskedKeyHas, .. options.AdditionalMaskedKeys], options.MaskWith),
            options.LoggerFactory ?? services?.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            options.TimeProvider ?? services?.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public string? RecordException(Exception exception, object? variables = null, IReadOnlyDictionary<string, object?>? context = null) =>
        Record(exception, new CapturedVariables(variables, VariableOrigin.Explicit), context, ErrorLevel.Error);

    /// <inheritdoc />
    public bool Capture(Exception exception, object? variables = null)
    {
        Record(exception, new CapturedVariables(variables, VariableOrigin.ExceptionFilter), context: null, ErrorLevel.Error);
        return false;
    }

    /// <inheritdoc />
    public string? CaptureMessage(string message, ErrorLevel level = ErrorLevel.Info, object? variables = null,
        IReadOnlyDictionary<string, object?>? context = null) =>
        Capture(message, level, new CapturedVariables(variables, VariableOrigin.Explicit), context, groupingKey: null);

    /// <inheritdoc />
    public string? CaptureGroupedMessage(string message, string groupingKey, ErrorLevel level = ErrorLevel.Info,
        IReadOnlyDictionary<string, object?>? context = null) =>
        groupingKey is null ? null : Capture(message, level, default, context, groupingKey);

    private string? Capture(string message, ErrorLevel level, CapturedVariables variables, IReadOnlyDictionary<string, object?>? context, string? groupingKey)
    {
        if (message is null || _disposed == 1)
        {
            return null;
        }

        try
        {
            var occurrence = _capturer.CaptureMessage(message, level, variables, MergedContext(context), ScopeBuilders(), groupingKey);
            Enqueue(occurrence);
            return occurrence.Hash;
        }
        catch (Exception failure)
        {
            LogCaptureFailure(EventCapturer.MessageType, failure);
            return null;
        }
    }

    /// <summary>Records an exception with the given level; the one path every entry point ends in.</summary>
    public string? Record(Exception exception, CapturedVariables variables, IReadOnlyDictionary<string, object?>? context, ErrorLevel level)
    {
        if (exception is null || _disposed == 1)
        {
            return null;
        }

        try
        {
            // One throw is one occurrence, however many layers record it; a cached instance thrown afresh, even
            // from the same place, counts again.
            var (trace, frames) = _signatures.Of(exception);
            if (AlreadyRecorded(exception, trace) is { } known)
            {
                return known.Hash;
            }

            if (_options.ShouldRecord is { } shouldRecord && !shouldRecord(exception))
            {
                return null;
            }

            var occurrence = _capturer.CaptureException(exception, frames, level, variables, MergedContext(context), ScopeBuilders(), Arguments(exception));
            _recorded.AddOrUpdate(exception, new RecordedThrow(occurrence.Hash, trace));
            Enqueue(occurrence);
            return occurrence.Hash;
        }
        catch (Exception failure)
        {
            LogCaptureFailure(exception.GetType().FullName ?? exception.GetType().Name, failure);
            return null;
        }
    }

    /// <summary>
    /// Keeps what a decorated call (an intercepted <c>[TrackExceptions]</c> method, a tracking proxy, a tracked lambda)
    /// ran with, from its exception filter, until the exception is recorded. Nothing is rendered yet: the exception
    /// may still be caught and handled further up, and the outer decorated calls add theirs first.
    /// </summary>
    public void AddFailedCall(MethodArguments call)
    {
        if (_disposed == 1 || AlreadyRecorded(call.Exception, _signatures.Of(call.Exception).Signature) is not null)
        {
            // An outer call after an await: the innermost one has recorded it with what was known then.
            return;
        }

        _failedCalls.GetOrCreateValue(call.Exception).Add(call);
    }

    /// <summary>
    /// The other half of <see cref="AddFailedCall"/>: called from the decorated call's <c>finally</c> while the
    /// exception unwinds (by then the runtime has run the exception filters of every frame up to the one that catches
    /// it, so every decorated call it passes has added its values), or before an async call hands its failure on.
    /// Inside a scope that records escaping exceptions (a web request), the scope's owner records it instead, with
    /// the whole stack and the request; elsewhere it is recorded now, once, with what the calls kept.
    /// </summary>
    public void RecordFailedCall(Exception exception)
    {
        for (var scope = _currentScope.Value; scope is not null; scope = scope.Parent)
        {
            if (scope.TryDefer(exception))
            {
                return;
            }
        }

        Record(exception, default, context: null, ErrorLevel.Error);
    }

    /// <inheritdoc />
    public ErrorScope BeginScope(IReadOnlyDictionary<string, object?>? context = null)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return new ErrorScope(parent: null, context, onDispose: null);
        }

        var scope = new ErrorScope(ErrorScope.Open(_currentScope.Value), context, EndScope);
        _currentScope.Value = scope;
        return scope;
    }

    /// <inheritdoc />
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!await _writer.FlushAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var left = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return await _delivery.FlushAsync(left == Timeout.InfiniteTimeSpan || left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the shutdown deadline, unless it has started already, and returns it.</summary>
    public ShutdownDeadline BeginShutdown()
    {
        var started = new ShutdownDeadline(_shutdownTimeout, _time);
        if (Interlocked.CompareExchange(ref _shutdown, started, null) is { } earlier)
        {
            started.Dispose();
            return earlier;
        }

        return started;
    }

    /// <summary>
    /// The host's stop: stores what is pending within what is left of the shutdown deadline, or until the host's
    /// own limit (<paramref name="cancellationToken"/>) if that comes first. When that is not enough, the tracker
    /// shuts down at once, so what is not stored is counted and logged before the host returns and the process
    /// may be killed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var deadline = BeginShutdown();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            if (await FlushAsync(Timeout.InfiniteTimeSpan, either.Token).ConfigureAwait(false))
            {
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline or the host's limit: either way, nothing more is waited for.
        }

        if (cancellationToken.IsCancellationRequested)
        {
            deadline.Expire();
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        TaskScheduler.UnobservedTaskException -= OnUnobservedTaskException;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _metrics.Dispose();

        ErrorTracker.Detach(this);
        // After the host's stop, only what is left of the deadline it started: never a second full timeout.
        var deadline = BeginShutdown();
        await _writer.DisposeAsync(deadline.Token).ConfigureAwait(false);
        // What was stored is still notified if the notifiers answer within what is left of the shutdown timeout.
        await _delivery.DrainAsync(deadline.Left).ConfigureAwait(false);
        await _delivery.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Enqueue(ErrorEvent occurrence)
    {
        // Counted whatever becomes of it, so recorded = stored + buffered + dropped + lost.
        _counters.AddRecorded();
        _writer.TryEnqueue(occurrence);
    }

    private IReadOnlyList<IContextBuilder> ScopeBuilders() => _currentScope.Value?.ContextBuilders() ?? [];

    /// <summary>
    /// What integrations handed to the open scopes, and what the decorated calls the exception (and its inner
    /// exceptions) passed through kept for it: those are taken, so a cached instance thrown again starts afresh.
    /// </summary>
    private IReadOnlyList<MethodArguments> Arguments(Exception exception)
    {
        var arguments = _currentScope.Value?.Arguments() ?? [];
        List<MethodArguments>? combined = null;
        var current = exception;
        for (var depth = 0; current is not null && depth < 32; depth++, current = current.InnerException)
        {
            if (_failedCalls.TryGetValue(current, out var calls))
            {
                _failedCalls.Remove(current);
                (combined ??= [.. arguments]).AddRange(calls.Take());
            }
        }

        return combined ?? arguments;
    }

    /// <summary>
    /// What was recorded for this throw of the exception, if it was: recorded again as it propagates (a rethrow or an
    /// await adds the frames it passed) or twice where it was caught (not thrown since), it is the same occurrence.
    /// </summary>
    private RecordedThrow? AlreadyRecorded(Exception exception, string trace) =>
        _recorded.TryGetValue(exception, out var known)
        && ((trace.Length > known.Trace.Length && ThrowSignature.Extends(trace, known.Trace))
            || (trace == known.Trace && !known.ThrownSince))
            ? known
            : null;

    private IEnumerable<KeyValuePair<string, object?>> MergedContext(IReadOnlyDictionary<string, object?>? context)
    {
        var scope = _currentScope.Value;
        if (scope is null)
        {
            return context ?? (IEnumerable<KeyValuePair<string, object?>>)[];
        }

        return context is null ? scope.Entries() : scope.Entries().Concat(context);
    }

    private void EndScope(ErrorScope scope)
    {
        try
        {
            if (!scope.IsCompleted && scope.LastThrown is { } thrown)
            {
                Record(thrown, default, context: null, ErrorLevel.Error);
            }

            // Left to the scope and handled before they escaped: the owner never saw them. Those it recorded are known.
            foreach (var deferred in scope.TakeDeferred())
            {
                Record(deferred, default, context: null, ErrorLevel.Error);
            }
        }
        finally
        {
            // Scopes disposed out of order must not stay current: fall back to the nearest one still open.
            if (ReferenceEquals(_currentScope.Value, scope) || _currentScope.Value?.IsDisposed == true)
            {
                _currentScope.Value = ErrorScope.Open(scope.Parent);
            }
        }
    }

    private void LogCaptureFailure(string exceptionType, Exception failure)
    {
        try
        {
            TrackerLog.CaptureFailed(_logger, exceptionType, _capturer.Describe(failure));
        }
        catch (Exception)
        {
            // A logger that throws must not carry the failure into the application either.
        }
    }

    // The process is about to die: record, then store what is pending before returning to the runtime.
    private void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is Exception exception)
        {
            Record(exception, default, new Dictionary<string, object?> { ["unhandled"] = true }, ErrorLevel.Fatal);
        }

        Dispose();
    }

    private void OnUnobservedTaskException(object? sender, UnobservedTaskExceptionEventArgs e) =>
        Record(e.Exception, default, new Dictionary<string, object?> { ["unobserved_task"] = true }, ErrorLevel.Error);

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    // Runs for every exception thrown in the process: two lookups, nothing more.
    private void OnFirstChanceException(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (_recorded.TryGetValue(e.Exception, out var recorded))
        {
            recorded.Thrown();
        }

        _currentScope.Value?.ObserveThrown(e.Exception);
    }
}
