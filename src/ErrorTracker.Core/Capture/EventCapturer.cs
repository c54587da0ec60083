using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ErrorTracking.Context;
using ErrorTracking.Diagnostics;
using ErrorTracking.Grouping;
using ErrorTracking.Records;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Capture;

/// <summary>
/// Builds the immutable, masked <see cref="ErrorEvent"/> of one occurrence on the capturing thread: frames,
/// variables, context, masking and the grouping hash. Everything that leaves this class is safe to store.
/// </summary>
internal sealed class EventCapturer
{
    /// <summary>The exception type shown for a captured message.</summary>
    public const string MessageType = "Message";

    private const int MaxChainDepth = 32;
    private const int MaxChainLength = 64;

    private readonly ValueRenderer _renderer;
    private readonly FrameReader _frames;
    private readonly StaticFieldReader? _statics;
    private readonly IReadOnlyList<IContextBuilder> _contextBuilders;
    private readonly TimeProvider _time;
    private readonly string? _application;
    private readonly bool _includeMessageInFingerprint;
    private readonly Func<ErrorEvent, string?>? _customFingerprint;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Type, PropertyInfo[]> _exceptionProperties = new();

    public EventCapturer(
        ValueRenderer renderer,
        FrameReader frames,
        StaticFieldReader? statics,
        IReadOnlyList<IContextBuilder> contextBuilders,
        TimeProvider time,
        string? application,
        bool includeMessageInFingerprint,
        Func<ErrorEvent, string?>? customFingerprint,
        ILogger logger)
    {
        _renderer = renderer;
        _frames = frames;
        _statics = statics;
        _contextBuilders = contextBuilders;
        _time = time;
        _application = application;
        _includeMessageInFingerprint = includeMessageInFingerprint;
        _customFingerprint = customFingerprint;
        _logger = logger;
    }

    // frames: the exception's frames without file information, which the caller has walked already; none when it was
    // never thrown.
    public ErrorEvent CaptureException(Exception exception, StackFrame[] frames, ErrorLevel level, CapturedVariables variables,
        IEnumerable<KeyValuePair<string, object?>> context, IReadOnlyList<IContextBuilder> scopeBuilders, IReadOnlyList<MethodArguments> arguments)
    {
        // What the caller and the integration handed over and the request come first: they matter most when the
        // budget runs short.
        var budget = _renderer.NewBudget();
        var captured = RenderVariables(variables, budget);
        var renderedArguments = RenderArguments(arguments, budget);
        var described = Describe(exception, context, scopeBuilders, budget);
        var chain = new ChainReading(budget, renderedArguments);
        var root = ReadException(exception, depth: 0, chain, frames);
        root = AttachVariables(root, captured, thrown: frames.Length > 0);
        return Complete(root, level, described, isMessage: false);
    }

    // groupingKey: the caller's own grouping of a message that stands for an outcome, not for code (an HTTP status
    // answered). No stack is read then: the recorder's and the framework's frames would split its group by how the
    // outcome was reached (a new connection or a kept-alive one, a sync or an async continuation) and mean nothing.
    public ErrorEvent CaptureMessage(string message, ErrorLevel level, CapturedVariables variables,
        IEnumerable<KeyValuePair<string, object?>> context, IReadOnlyList<IContextBuilder> scopeBuilders, string? groupingKey = null)
    {
        var budget = _renderer.NewBudget();
        var captured = RenderVariables(variables, budget);
        var described = Describe(exception: null, context, scopeBuilders, budget);
        IReadOnlyList<FrameDetail> frames = groupingKey is null ? WithStatics(_frames.ReadCurrentStack(), new HashSet<Type>(), budget) : [];
        var root = new ExceptionDetail { Type = MessageType, Message = _renderer.MaskAndClip(message), Frames = frames };
        root = AttachVariables(root, captured, thrown: false);
        return Complete(root, level, described, isMessage: true, groupingKey);
    }

    /// <summary>Runs the context builders and renders what they and the caller supplied.</summary>
    private ErrorEvent Describe(Exception? exception, IEnumerable<KeyValuePair<string, object?>> context,
        IReadOnlyList<IContextBuilder> scopeBuilders, CaptureBudget budget)
    {
        var collected = new CaptureContext(exception);
        foreach (var builder in scopeBuilders.Count == 0 ? _contextBuilders : _contextBuilders.Concat(scopeBuilders))
        {
            try
            {
                builder.Build(collected);
            }
            catch (Exception failure)
            {
                TrackerLog.ContextBuilderFailed(_logger, builder.GetType().FullName ?? builder.GetType().Name, Describe(failure));
            }
        }

        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in context)
        {
            extra[key] = value;
        }

        foreach (var (key, value) in collected.Extra)
        {
            extra[key] = value;
        }

        return new ErrorEvent
        {
            Hash = "",
            Timestamp = _time.GetUtcNow(),
            ExceptionType = "",
            Message = "",
            Host = _renderer.MaskAndClip(collected.Host),
            Path = _renderer.MaskAndClip(collected.Path),
            Method = _renderer.Clip(collected.Method),
            Url = collected.Url is null ? null : _renderer.MaskAndClip(collected.Url),
            RequestData = _renderer.RenderPairs(collected.RequestData, budget),
            Context = _renderer.RenderPairs(extra, budget),
            Application = _application,
            Environment = RuntimeEnvironment.Current,
            Exception = new ExceptionDetail { Type = "", Message = "" },
        };
    }

    private ErrorEvent Complete(ExceptionDetail root, ErrorLevel level, ErrorEvent described, bool isMessage, string? groupingKey = null)
    {
        var occurrence = described with { Level = level, ExceptionType = root.Type, Message = root.Message, Exception = root };
        return occurrence with { Hash = ComputeHash(occurrence, isMessage, groupingKey) };
    }

    // The application's own Fingerprint still comes first: it is the one choice made for every record.
    private string ComputeHash(ErrorEvent occurrence, bool isMessage, string? groupingKey)
    {
        if (_customFingerprint is not null)
        {
            try
            {
                if (_customFingerprint(occurrence) is { } custom)
                {
                    return Fingerprint.Hash(custom);
                }
            }
            catch (Exception failure)
            {
                TrackerLog.FingerprintFailed(_logger, Describe(failure));
            }
        }

        return Fingerprint.Hash(groupingKey is null
            ? Fingerprint.DefaultKey(occurrence.Exception, _includeMessageInFingerprint || isMessage)
            : Fingerprint.GivenKey(groupingKey));
    }

    /// <summary>An exception as the tracker's own log may show it: its type and its masked message.</summary>
    public string Describe(Exception failure) => $"{failure.GetType().FullName}: {_renderer.MaskAndClip(SafeMessage(failure))}";

    private ExceptionDetail ReadException(Exception exception, int depth, ChainReading chain, StackFrame[] thrownFrames)
    {
        chain.Seen.Add(exception);
        chain.Remaining--;
        IReadOnlyList<FrameDetail> frames = [];
        List<(FrameDetail Frame, OriginalMethod? Method)>? read = null;
        if (thrownFrames.Length > 0)
        {
            read = _frames.Read(exception, thrownFrames);
        }
        else if (depth == 0)
        {
            // Never thrown: the place it is recorded from is the best stack there is.
            read = _frames.ReadCurrentStack();
        }

        if (read is not null)
        {
            frames = WithStatics(read, chain.StaticsSeen, chain.Budget);
            if (chain.Arguments.TryGetValue(exception, out var arguments))
            {
                frames = WithArguments(frames, read, arguments);
            }
        }

        var inner = new List<ExceptionDetail>();
        if (depth < MaxChainDepth)
        {
            IEnumerable<Exception?> children = exception is AggregateException aggregate
                ? aggregate.InnerExceptions.Cast<Exception?>()
                : [exception.InnerException];
            foreach (var child in children)
            {
                if (child is not null && chain.Remaining > 0 && !chain.Seen.Contains(child))
                {
                    inner.Add(ReadException(child, depth + 1, chain, new StackTrace(child, fNeedFileInfo: false).GetFrames()));
                }
            }
        }

        return new ExceptionDetail
        {
            Type = TypeNames.FormatQualified(exception.GetType()),
            Message = _renderer.MaskAndClip(SafeMessage(exception)),
            Properties = ReadProperties(exception, chain.Budget),
            Data = ReadData(exception, chain.Budget),
            Frames = frames,
            InnerExceptions = inner,
        };
    }

    private List<FrameDetail> WithStatics(List<(FrameDetail Frame, OriginalMethod? Method)> frames, HashSet<Type> staticsSeen, CaptureBudget budget)
    {
        var result = new List<FrameDetail>(frames.Count);
        foreach (var (frame, method) in frames)
        {
            if (_statics is not null && frame.InApp && method?.DeclaringType is { } type && staticsSeen.Add(type))
            {
                var statics = _statics.Read(type, budget);
                result.Add(statics.Count == 0 ? frame : frame with { Variables = [.. frame.Variables, .. statics] });
            }
            else
            {
                result.Add(frame);
            }
        }

        return result;
    }

    /// <summary>
    /// Shows each method's arguments under its frame; when the method has no frame of its own (inlined, or returned
    /// before the exception was thrown), under the first in-app frame, named with the method they belong to. A method
    /// handed over several times (a recursive decorated method) fills its frames in order, innermost first.
    /// </summary>
    private static IReadOnlyList<FrameDetail> WithArguments(IReadOnlyList<FrameDetail> frames,
        List<(FrameDetail Frame, OriginalMethod? Method)> read, List<RenderedArguments> arguments)
    {
        if (frames.Count == 0)
        {
            return frames;
        }

        var added = new List<CapturedVariable>?[frames.Count];
        var used = new HashSet<int>();
        foreach (var (method, variables) in arguments)
        {
            var index = -1;
            for (var i = 0; i < read.Count && index < 0; i++)
            {
                if (!used.Contains(i) && read[i].Method is { } frameMethod && frameMethod.IsSameMethodAs(method))
                {
                    index = i;
                }
            }

            IEnumerable<CapturedVariable> shown = variables;
            if (index < 0)
            {
                index = Math.Max(0, frames.ToList().FindIndex(f => f.InApp));
                var owner = $"{method.TypeName}.{method.Name}";
                shown = variables.Select(v => v with { Name = $"{v.Name} (of {owner})" });
            }
            else
            {
                used.Add(index);
            }

            (added[index] ??= []).AddRange(shown);
        }

        var result = frames.ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            if (added[i] is { } extra)
            {
                result[i] = result[i] with { Variables = [.. extra, .. result[i].Variables] };
            }
        }

        return result;
    }

    private CapturedVariable[] RenderVariables(CapturedVariables variables, CaptureBudget budget) =>
        variables.Bag is null
            ? []
            : _renderer.RenderMembers(variables.Bag, budget).Select(v => new CapturedVariable(v.Name, v.Value, variables.Origin)).ToArray();

    // All of them, without first looking for their exceptions in the chain: a scope holds those of the exceptions
    // thrown inside it, hardly ever more than the one being recorded.
    private Dictionary<Exception, List<RenderedArguments>> RenderArguments(IReadOnlyList<MethodArguments> arguments, CaptureBudget budget)
    {
        var rendered = new Dictionary<Exception, List<RenderedArguments>>(ReferenceEqualityComparer.Instance);
        foreach (var (exception, method, values) in arguments)
        {
            var variables = values
                .Select(v => new CapturedVariable(v.Name, _renderer.RenderNamed(v.Name, v.Value, budget), v.Origin))
                .ToArray();
            if (!rendered.TryGetValue(exception, out var forException))
            {
                rendered[exception] = forException = [];
            }

            forException.Add(new RenderedArguments(OriginalMethod.Resolve(method), variables));
        }

        return rendered;
    }

    private static ExceptionDetail AttachVariables(ExceptionDetail root, CapturedVariable[] captured, bool thrown)
    {
        if (captured.Length == 0)
        {
            return root;
        }

        if (root.Frames.Count == 0)
        {
            var caller = new FrameDetail { DeclaringType = "<caller>", Method = "<unknown>", Variables = captured };
            return root with { Frames = [caller] };
        }

        // A thrown exception's last frame is the method that caught it, where the variables were in scope;
        // a stack read at the recording site starts with the caller.
        var index = thrown ? root.Frames.Count - 1 : 0;
        var frames = root.Frames.ToArray();
        frames[index] = frames[index] with { Variables = [.. captured, .. frames[index].Variables] };
        return root with { Frames = frames };
    }

    private NamedValue[] ReadProperties(Exception exception, CaptureBudget budget)
    {
        var properties = _exceptionProperties.GetOrAdd(exception.GetType(), InterestingProperties);
        var values = new NamedValue[properties.Length + 1];
        values[0] = new NamedValue(nameof(Exception.HResult), RecordedValue.Scalar(exception.HResult.ToString(System.Globalization.CultureInfo.InvariantCulture), "int"));
        for (var i = 0; i < properties.Length; i++)
        {
            RecordedValue value;
            try
            {
                value = _renderer.RenderNamed(properties[i].Name, properties[i].GetValue(exception), budget);
            }
            catch (TargetInvocationException failure) when (failure.InnerException is not null)
            {
                value = ValueRenderer.Failed(failure.InnerException);
            }

            values[i + 1] = new NamedValue(properties[i].Name, value);
        }

        return values;
    }

    private IReadOnlyList<NamedValue> ReadData(Exception exception, CaptureBudget budget)
    {
        try
        {
            return exception.Data.Count == 0 ? [] : _renderer.RenderMembers(exception.Data, budget);
        }
        catch (Exception failure)
        {
            return [new NamedValue("Data", ValueRenderer.Failed(failure))];
        }
    }

    private static string SafeMessage(Exception exception)
    {
        try
        {
            return exception.Message;
        }
        catch (Exception failure)
        {
            return $"<{failure.GetType().Name} raised while reading the message>";
        }
    }

    // Properties a subclass declares or overrides, except those every exception has (Message, StackTrace...).
    private static PropertyInfo[] InterestingProperties(Type type)
    {
        var result = new List<PropertyInfo>();
        for (var current = type; current is not null && current != typeof(Exception); current = current.BaseType)
        {
            foreach (var property in current.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                if (property.CanRead && property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true }
                    && !typeof(Exception).IsAssignableFrom(property.PropertyType)
                    && !typeof(IEnumerable<Exception>).IsAssignableFrom(property.PropertyType)
                    && !typeof(MemberInfo).IsAssignableFrom(property.PropertyType)
                    && typeof(Exception).GetProperty(property.Name) is null
                    && result.TrueForAll(p => p.Name != property.Name))
                {
                    result.Add(property);
                }
            }
        }

        return [.. result];
    }

    private sealed record RenderedArguments(OriginalMethod Method, CapturedVariable[] Variables);

    /// <summary>What reading one exception chain shares across its exceptions.</summary>
    private sealed class ChainReading(CaptureBudget budget, Dictionary<Exception, List<RenderedArguments>> arguments)
    {
        public CaptureBudget Budget { get; } = budget;

        public Dictionary<Exception, List<RenderedArguments>> Arguments { get; } = arguments;

        public HashSet<Exception> Seen { get; } = new(ReferenceEqualityComparer.Instance);

        public HashSet<Type> StaticsSeen { get; } = [];

        /// <summary>How many more exceptions of the chain may be read.</summary>
        public int Remaining { get; set; } = MaxChainLength;
    }
}
