using System.Text;
using BenchmarkDotNet.Attributes;
using ErrorTracking.Records;
using Sentry;

namespace ErrorTracking.Benchmarks.Capture;

/// <summary>
/// What recording one failure costs the thread that records it: a fresh exception thrown ten frames deep and caught,
/// with nothing else (the floor, the baseline), then recorded by this tracker (stack with source lines, variables,
/// the request's context, masking, grouping hash, enqueue), then captured by Sentry's SDK configured to collect the
/// same kind of data. Both keep their background queue; neither stores nor sends anything (a discarding store, a
/// discarding transport). Each benchmark runs in its own process, so only the one being measured is installed.
/// </summary>
[Config(typeof(StoreBenchmarkConfig))]
public class CaptureBenchmarks
{
    private const int OrderId = 1042;
    private const string Customer = "c-88213";
    private const int Quantity = 3;

    private IDisposable? _tracker;
    private IErrorTracker _recorder = null!;
    private DiscardingStore? _store;
    private IDisposable? _sentry;
    private DiscardingTransport? _transport;

    [GlobalSetup(Targets = new[] { nameof(RecordException) })]
    public void SetupTracker() => SetupTracker(detectors: true);

    /// <summary>The same tracker with every built-in secret detector off: what the detectors cost is the difference.</summary>
    [GlobalSetup(Targets = new[] { nameof(RecordExceptionWithoutSecretDetectors) })]
    public void SetupTrackerWithoutDetectors() => SetupTracker(detectors: false);

    private void SetupTracker(bool detectors)
    {
        _store = new DiscardingStore();
        _tracker = ErrorTracker.Init(options =>
        {
            options.Store = _store;
            options.ApplicationName = "capture benchmark";
            options.ContextBuilders.Add(new BenchRequestContextBuilder());
            if (!detectors)
            {
                options.DisabledSecretDetectors = [.. ErrorTracking.Masking.SecretDetector.BuiltInNames];
            }
        });
        _recorder = ErrorTracker.Current ?? throw new InvalidOperationException("ErrorTracker.Init set no tracker.");

        // Check once that the occurrence carries what the comparison claims: frames with lines and source, the
        // variables, the request.
        var hash = RecordException();
        var flushed = _recorder.FlushAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        if (_store.Last is not { } stored)
        {
            throw new InvalidOperationException($"The tracker stored nothing (hash {hash ?? "none"}, flushed {flushed}, {_recorder.Statistics}).");
        }

        var frames = stored.Exception.Frames;
        var complete = frames.Count >= 11 && frames.Take(10).All(f => f.Line is not null && f.Source is not null && f.InApp)
            && frames[^1].Variables.Count >= 3 && stored.Url == BenchRequest.Url && stored.RequestData.Count >= 3;
        Console.WriteLine($"// ErrorTracker occurrence: {frames.Count} frames, {frames.Count(f => f.Line is not null)} with lines, "
            + $"{frames.Count(f => f.Source is not null)} with source, {frames[^1].Variables.Count} variables, {stored.RequestData.Count} request entries");
        if (!complete)
        {
            throw new InvalidOperationException("The tracker's occurrence lacks frames, lines, source, variables or the request.");
        }
    }

    [GlobalSetup(Targets = new[] { nameof(SentryCaptureException), nameof(SentryCaptureExceptionWithExtras) })]
    public void SetupSentry()
    {
        _transport = new DiscardingTransport();
        _sentry = SentrySdk.Init(options =>
        {
            // A well-formed DSN is what turns the SDK on; the transport below means nothing ever leaves the process.
            options.Dsn = "https://0123456789abcdef0123456789abcdef@127.0.0.1/1";
            options.Transport = _transport;
            options.SendDefaultPii = false;
            options.AttachStacktrace = true;
            options.StackTraceMode = StackTraceMode.Enhanced;
            options.AutoSessionTracking = false;
            options.SendClientReports = false;
            options.IsGlobalModeEnabled = false;
            options.Release = "capture-benchmark@1.0.0";
            options.Environment = "benchmark";
            options.InitCacheFlushTimeout = TimeSpan.Zero;
            // Room for every event the benchmark makes between two runs of the worker, so none is dropped unprocessed.
            options.MaxQueueItems = 10_000;
        });
        SentrySdk.ConfigureScope(scope =>
        {
            scope.Request.Method = BenchRequest.Method;
            scope.Request.Url = BenchRequest.Url;
            scope.Request.QueryString = BenchRequest.QueryString;
            foreach (var (name, value) in BenchRequest.Headers)
            {
                scope.Request.Headers[name] = value;
            }

            scope.SetTag("route", BenchRequest.Route);
            scope.SetTag("endpoint", BenchRequest.Endpoint);
        });

        SentryCaptureExceptionWithExtras();
        SentrySdk.Flush(TimeSpan.FromSeconds(10));
        if (_transport.Last is not { } envelope)
        {
            throw new InvalidOperationException("Sentry sent nothing to the transport.");
        }

        using var json = new MemoryStream();
        envelope.SerializeAsync(json, null).GetAwaiter().GetResult();
        var text = Encoding.UTF8.GetString(json.ToArray());
        var lines = CountOf(text, "\"lineno\"");
        Console.WriteLine($"// Sentry envelope: {text.Length:N0} bytes, {CountOf(text, "\"function\"")} frames, {lines} with lines, "
            + $"{CountOf(text, "\"in_app\":true")} in app, request url {(text.Contains(BenchRequest.Url, StringComparison.Ordinal) ? "present" : "missing")}");
        if (lines < 10 || !text.Contains(BenchRequest.Url, StringComparison.Ordinal) || !text.Contains(Customer, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Sentry's event lacks lines, the request or the extras.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracker?.Dispose();
        _sentry?.Dispose();
        if (_store is not null)
        {
            Console.WriteLine($"// ErrorTracker stored {_store.Saved:N0}; {_recorder.Statistics}");
        }

        if (_transport is not null)
        {
            Console.WriteLine($"// Sentry sent {_transport.Sent:N0} envelopes to the transport");
        }
    }

    /// <summary>The floor: the same exception thrown and caught, nothing recorded.</summary>
    [Benchmark(Baseline = true)]
    public Exception? ThrowAndCatch()
    {
        try
        {
            Checkout.PlaceOrder(OrderId, Customer, Quantity);
            return null;
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }
    }

    /// <summary>This tracker: <c>RecordException</c> with the variables in scope, inside a request.</summary>
    [Benchmark]
    public string? RecordException()
    {
        try
        {
            Checkout.PlaceOrder(OrderId, Customer, Quantity);
            return null;
        }
        catch (InvalidOperationException exception)
        {
            return _recorder.RecordException(exception, new { OrderId, Customer, Quantity });
        }
    }

    /// <summary><see cref="RecordException"/> with the secret detectors off.</summary>
    [Benchmark]
    public string? RecordExceptionWithoutSecretDetectors() => RecordException();

    /// <summary>Sentry's plain capture: no variables, which Sentry does not collect; the request comes from the scope.</summary>
    [Benchmark]
    public SentryId SentryCaptureException()
    {
        try
        {
            Checkout.PlaceOrder(OrderId, Customer, Quantity);
            return SentryId.Empty;
        }
        catch (InvalidOperationException exception)
        {
            return SentrySdk.CaptureException(exception);
        }
    }

    /// <summary>Sentry's way of adding per-capture values, the nearest to this tracker's variables: extras on a local scope.</summary>
    [Benchmark]
    public SentryId SentryCaptureExceptionWithExtras()
    {
        try
        {
            Checkout.PlaceOrder(OrderId, Customer, Quantity);
            return SentryId.Empty;
        }
        catch (InvalidOperationException exception)
        {
            return SentrySdk.CaptureException(exception, scope =>
            {
                scope.SetExtra("orderId", OrderId);
                scope.SetExtra("customer", Customer);
                scope.SetExtra("quantity", Quantity);
            });
        }
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
