using System.Collections.Concurrent;
using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>
/// Reads the lines around a frame from its source file, when the file exists here, each clipped and masked. Cached,
/// bounded, never fatal: a file is read once, and each of its lines is clipped and masked the first time a frame
/// shows it, then reused, since the same few lines around the same throw sites come back with every occurrence.
/// </summary>
internal sealed class SourceContextReader
{
    private const int MaxCachedFiles = 256;
    private const long MaxFileBytes = 2 * 1024 * 1024;
    private const int MaxLineLength = 500;
    private readonly ConcurrentDictionary<string, SourceFile?> _files = new(StringComparer.Ordinal);
    private readonly int _linesAround;
    private readonly Func<string, string> _mask;

    /// <param name="linesAround">How many lines to show before and after the frame's line.</param>
    /// <param name="mask">Masks one line of source; called at most once per line of a cached file.</param>
    public SourceContextReader(int linesAround, Func<string, string> mask)
    {
        _linesAround = linesAround;
        _mask = mask;
    }

    public SourceContext? Read(string? path, int? line)
    {
        if (_linesAround <= 0 || path is null || line is not > 0)
        {
            return null;
        }

        var file = _files.TryGetValue(path, out var cached) ? cached : Load(path);
        if (file is null || line.Value > file.Lines.Length)
        {
            return null;
        }

        var first = Math.Max(1, line.Value - _linesAround);
        var last = Math.Min(file.Lines.Length, line.Value + _linesAround);
        var excerpt = new string[last - first + 1];
        for (var i = first; i <= last; i++)
        {
            excerpt[i - first] = file.Shown(i - 1, _mask);
        }

        return new SourceContext(first, excerpt);
    }

    private SourceFile? Load(string path)
    {
        string[]? lines = null;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length <= MaxFileBytes)
            {
                lines = File.ReadAllLines(path);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // A missing or unreadable file only means no source context.
        }

        var file = lines is null ? null : new SourceFile(lines);
        if (_files.Count < MaxCachedFiles)
        {
            // Whichever reader adds first wins, so every capture shares one set of masked lines.
            return _files.GetOrAdd(path, file);
        }

        return file;
    }

    /// <summary>A file's lines as read, and each as shown once it has been: clipped, then masked.</summary>
    private sealed class SourceFile(string[] lines)
    {
        private readonly string?[] _shown = new string?[lines.Length];

        public string[] Lines { get; } = lines;

        // Two threads may both mask a line the first time; they get the same text, and either copy may be kept.
        public string Shown(int index, Func<string, string> mask) =>
            Volatile.Read(ref _shown[index]) ?? (_shown[index] = mask(Clip(Lines[index])));

        private static string Clip(string text) => text.Length > MaxLineLength ? text[..MaxLineLength] + "..." : text;
    }
}
