using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ErrorTracking.Capture;

/// <summary>
/// Tells a throw apart from another of the same exception object, cheaply: its frames (method and IL offset), without
/// the hidden ones, innermost first. The exception's own trace text would do, but every read of it resolves file and
/// line for every frame again, which is most of what recording costs.
/// </summary>
internal sealed class ThrowSignature
{
    private const int MaxCachedMethods = 10_000;
    private readonly ConcurrentDictionary<MethodBase, bool> _hidden = new();

    /// <summary>
    /// The signature of the exception's throw, and its frames without file information (none when it was never
    /// thrown), which the capture reads on from instead of walking them again.
    /// </summary>
    public (string Signature, StackFrame[] Frames) Of(Exception exception)
    {
        var frames = new StackTrace(exception, fNeedFileInfo: false).GetFrames();
        if (frames.Length == 0)
        {
            return ("", frames);
        }

        var text = new StringBuilder(frames.Length * 48);
        foreach (var frame in frames)
        {
            if (frame.GetMethod() is not { } method || IsHidden(method))
            {
                continue;
            }

            text.Append(method.DeclaringType?.FullName).Append('.').Append(method.Name).Append(':')
                .Append(Token(method)).Append('+').Append(frame.GetILOffset()).Append('\n');
        }

        return (text.ToString(), frames);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> holds every frame of <paramref name="earlier"/>, in order: the runtime adds
    /// the frames an exception passes after those it had, but an await may place them before the frame it was caught in.
    /// </summary>
    public static bool Extends(string signature, string earlier)
    {
        var position = 0;
        foreach (var frame in earlier.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var found = signature.IndexOf(frame + "\n", position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + frame.Length + 1;
        }

        return true;
    }

    private bool IsHidden(MethodBase method)
    {
        if (_hidden.TryGetValue(method, out var hidden))
        {
            return hidden;
        }

        // Wrappers (generated interceptors, the tracker's own) are hidden, and only the frame an exception is being
        // handled in shows them while it is: left in, the same throw would read differently once it has moved on.
        hidden = FrameReader.IsHidden(method);
        if (_hidden.Count < MaxCachedMethods)
        {
            _hidden[method] = hidden;
        }

        return hidden;
    }

    private static int Token(MethodBase method)
    {
        try
        {
            return method.MetadataToken;
        }
        catch (InvalidOperationException)
        {
            // Dynamic methods have no token; their name and offset still tell them apart well enough.
            return 0;
        }
    }
}
