using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>Reads the frames of a stack trace into <see cref="FrameDetail"/>s, with original method names and masked source context.</summary>
internal sealed class FrameReader
{
    private const int MaxCachedFrames = 20_000;
    private readonly InAppClassifier _inApp;
    private readonly SourceContextReader _sources;

    // What a frame reads as, by method and IL offset: the same place always has the same file, line, source and
    // names. A hidden frame is kept as null. Finding file and line means reading the PDB for every frame of the trace,
    // most of what recording costs, and the same few failures recur.
    private readonly ConcurrentDictionary<(MethodBase Method, int Offset), (FrameDetail, OriginalMethod?)?> _known = new();

    public FrameReader(InAppClassifier inApp, SourceContextReader sources)
    {
        _inApp = inApp;
        _sources = sources;
    }

    /// <summary>
    /// The frames of a thrown exception, given its frames without file information: from the frames already known
    /// when they all are, else from a full read.
    /// </summary>
    public List<(FrameDetail Frame, OriginalMethod? Method)> Read(Exception exception, StackFrame[] quick)
    {
        var frames = new List<(FrameDetail, OriginalMethod?)>(quick.Length);
        foreach (var frame in quick)
        {
            if (frame.GetMethod() is not { } method || !_known.TryGetValue((method, frame.GetILOffset()), out var known))
            {
                return ReadAndRemember(new StackTrace(exception, fNeedFileInfo: true));
            }

            if (known is { } read)
            {
                frames.Add(read);
            }
        }

        return frames;
    }

    private List<(FrameDetail Frame, OriginalMethod? Method)> ReadAndRemember(StackTrace trace)
    {
        var frames = new List<(FrameDetail, OriginalMethod?)>();
        foreach (var frame in trace.GetFrames())
        {
            var read = Read(frame);
            if (frame.GetMethod() is { } method && _known.Count < MaxCachedFrames)
            {
                _known[(method, frame.GetILOffset())] = read;
            }

            if (read is { } kept)
            {
                frames.Add(kept);
            }
        }

        return frames;
    }

    public List<(FrameDetail Frame, OriginalMethod? Method)> Read(StackTrace trace)
    {
        var frames = new List<(FrameDetail, OriginalMethod?)>();
        foreach (var frame in trace.GetFrames())
        {
            if (Read(frame) is { } read)
            {
                frames.Add(read);
            }
        }

        return frames;
    }

    /// <summary>The caller's stack, without the tracker's own frames: for messages and exceptions never thrown.</summary>
    public List<(FrameDetail Frame, OriginalMethod? Method)> ReadCurrentStack()
    {
        var frames = Read(new StackTrace(1, fNeedFileInfo: true));
        var firstOutside = frames.FindIndex(f => f.Method?.DeclaringType is not { } type || !InAppClassifier.IsTrackerCode(type));
        return firstOutside <= 0 ? frames : frames[firstOutside..];
    }

    private (FrameDetail, OriginalMethod?)? Read(StackFrame frame)
    {
        var method = frame.GetMethod();
        if (method is null)
        {
            return (new FrameDetail { DeclaringType = "<unknown>", Method = "<unknown>" }, null);
        }

        // An async method's frames are its state machine's MoveNext: hidden when the method it was made from is.
        var original = OriginalMethod.Resolve(method);
        if (IsHidden(method) || IsHidden(original.Method))
        {
            return null;
        }

        var file = frame.GetFileName();
        int? line = frame.GetFileLineNumber() is > 0 and var l ? l : null;
        int? column = frame.GetFileColumnNumber() is > 0 and var c ? c : null;
        int? offset = frame.GetILOffset() is >= 0 and var o and not StackFrame.OFFSET_UNKNOWN ? o : null;
        var source = _sources.Read(file, line);
        var detail = new FrameDetail
        {
            DeclaringType = original.TypeName,
            Method = original.Name,
            Parameters = Parameters(original),
            File = file,
            Line = line,
            Column = column,
            ILOffset = offset,
            InApp = _inApp.IsInApp(original.DeclaringType),
            Source = source,
        };
        return (detail, original);
    }

    /// <summary>Whether a frame of <paramref name="method"/> is left out of stacks, as the runtime leaves it out of stack trace text.</summary>
    internal static bool IsHidden(MethodBase method) =>
        method.IsDefined(typeof(StackTraceHiddenAttribute), inherit: false)
        || (method.DeclaringType?.IsDefined(typeof(StackTraceHiddenAttribute), inherit: false) ?? false);

    private static FrameParameter[] Parameters(OriginalMethod original)
    {
        try
        {
            return original.Method.GetParameters()
                .Select(p => new FrameParameter(TypeNames.Format(p.ParameterType), p.Name ?? ""))
                .ToArray();
        }
        catch (Exception exception) when (exception is TypeLoadException or FileNotFoundException or NotSupportedException)
        {
            return [];
        }
    }
}
