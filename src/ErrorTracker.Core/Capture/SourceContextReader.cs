using System.Collections.Concurrent;
using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>Reads the lines around a frame from its source file, when the file exists here. Cached, bounded, never fatal.</summary>
internal sealed class SourceContextReader
{
    private const int MaxCachedFiles = 256;
    private const long MaxFileBytes = 2 * 1024 * 1024;
    private const int MaxLineLength = 500;
    private readonly ConcurrentDictionary<string, string[]?> _files = new(StringComparer.Ordinal);
    private readonly int _linesAround;

    public SourceContextReader(int linesAround) => _linesAround = linesAround;

    public SourceContext? Read(string? path, int? line)
    {
        if (_linesAround <= 0 || path is null || line is not > 0)
        {
            return null;
        }

        var lines = _files.TryGetValue(path, out var cached) ? cached : Load(path);
        if (lines is null || line.Value > lines.Length)
        {
            return null;
        }

        var first = Math.Max(1, line.Value - _linesAround);
        var last = Math.Min(lines.Length, line.Value + _linesAround);
        var excerpt = new string[last - first + 1];
        for (var i = first; i <= last; i++)
        {
            var text = lines[i - 1];
            excerpt[i - first] = text.Length > MaxLineLength ? text[..MaxLineLength] + "..." : text;
        }

        return new SourceContext(first, excerpt);
    }

    private string[]? Load(string path)
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

        if (_files.Count < MaxCachedFiles)
        {
            _files.TryAdd(path, lines);
        }

        return lines;
    }
}
