using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErrorTracking.Configuration;

namespace ErrorTracking.Testing.Fuzzing;

/// <summary>
/// Generates hostile input from a seeded <see cref="Random"/>: object graphs (nesting, cycles, throwing getters and
/// <c>ToString</c>, dictionaries with non-string keys), odd and huge strings, JSON text (valid, malformed, huge, deeply
/// nested), each with secrets planted under a sensitive name (every default fragment of
/// <see cref="ErrorTrackerOptions.MaskedKeyHas"/>, in varied casing, separators and affixes) or in a secret's shape
/// inside text. Every planted secret matches <see cref="SecretShape"/> and nothing else generated does, so a test
/// finds a survivor by searching what was stored for that shape.
/// </summary>
public sealed class FuzzInput
{
    /// <summary>A custom value pattern the fuzzed tracker is configured with (<see cref="ErrorTrackerOptions.MaskedValuePatterns"/>).</summary>
    public const string CustomPattern = "acct#(?<secret>Zq[A-Za-z0-9]{16})";

    /// <summary>What a planted secret looks like; nothing else generated matches it.</summary>
    public static readonly Regex SecretShape = new("Zq[A-Za-z0-9]{16}", RegexOptions.CultureInvariant);

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // Plain names contain no masked fragment, and plain text no 'Zq', so only planted secrets have the secret's shape.
    private static readonly string[] PlainKeys = ["name", "id", "items", "note", "data", "value", "city", "count", "child", "payload", "user", "Order Lines", "x"];

    private static readonly string[] Fragments = [.. new ErrorTrackerOptions().MaskedKeyHas];

    private readonly Random _random;
    private int _planted;

    /// <summary>Creates a generator.</summary>
    public FuzzInput(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed, for messages that make a failure reproducible.</summary>
    public int Seed { get; }

    /// <summary>How many secrets were planted so far.</summary>
    public int Planted => _planted;

    /// <summary>The default masked fragments, which the generator plants secrets under.</summary>
    public static IReadOnlyList<string> SensitiveFragments => Fragments;

    /// <summary>The seed of a run: <c>ERRORTRACKER_FUZZ_SEED</c> when set, else a fixed one, so a run is reproducible.</summary>
    public static int RunSeed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("ERRORTRACKER_FUZZ_SEED"), out var seed) ? seed : fallback;

    /// <summary>A fresh secret.</summary>
    public string Secret()
    {
        _planted++;
        var chars = new char[18];
        chars[0] = 'Z';
        chars[1] = 'q';
        for (var i = 2; i < chars.Length; i++)
        {
            chars[i] = Alphanumerics[_random.Next(Alphanumerics.Length)];
        }

        return new string(chars);
    }

    /// <summary>A name that masks: a default fragment in random casing, its separators varied, with an affix.</summary>
    /// <param name="inText">For <c>key=value</c> text: starts with a letter and holds no spaces.</param>
    public string SensitiveKey(bool inText = false)
    {
        var fragment = Fragments[_random.Next(Fragments.Length)];
        var builder = new StringBuilder();
        string[] prefixes = inText ? ["", "user", "X-", "db.", "new_", "s"] : ["", "user", "X-", "db.", "new_", "The ", "s"];
        builder.Append(prefixes[_random.Next(prefixes.Length)]);
        foreach (var c in fragment)
        {
            var ch = c == '_' ? "_-."[_random.Next(3)] : c;
            builder.Append(_random.Next(2) == 0 ? char.ToUpperInvariant(ch) : ch);
            if (_random.Next(12) == 0)
            {
                builder.Append("_-."[_random.Next(3)]);
            }
        }

        string[] suffixes = ["", "Id", "_value", "2", "Hash", "-Header"];
        builder.Append(suffixes[_random.Next(suffixes.Length)]);
        return builder.ToString();
    }

    /// <summary>A name that does not mask.</summary>
    public string PlainKey() => PlainKeys[_random.Next(PlainKeys.Length)] + (_random.Next(3) == 0 ? _random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    /// <summary>Text that is odd in one way or another: broken UTF-16, control characters, markup, huge.</summary>
    public string OddString() => _random.Next(14) switch
    {
        0 => "lone \ud800 high, lone \udc00 low, reversed \udc00\ud800, end \ud83d",
        1 => "nul\0inside\u0001\u001f\u007f",
        2 => "emoji 🧨🔥 and combining a\u0301\u0301\u0301\u0301",
        3 => "\u202eright-to-left override\u202c",
        4 => new string('x', _random.Next(10_000, 300_000)),
        5 => "",
        6 => " \t\r\n ",
        7 => "</script><script>alert(1)</script>\"'`${x}",
        8 => "{\"broken\": [1, 2,",
        9 => string.Concat(Enumerable.Repeat("\ud800", _random.Next(1, 5_000))),
        10 => "'; DROP TABLE errortracker_groups; --",
        11 => "\\u0000 \\ud800 escaped",
        12 => new string('\uFFFF', 7) + "\uFEFF",
        _ => "plain text",
    };

    /// <summary>Text with a secret in one of the shapes masked inside text, among odd text.</summary>
    public string TextWithSecret()
    {
        var secret = Secret();
        var planted = _random.Next(7) switch
        {
            0 => $"{SensitiveKey(inText: true)}={secret}",
            1 => $"\"{SensitiveKey(inText: true)}\": \"{secret}\"",
            2 => $"Authorization: Bearer {secret}",
            3 => $"https://bob:{secret}@internal.example/path",
            4 => $"{(_random.Next(2) == 0 ? "Basic" : "Digest")} {secret}",
            5 => $"Server=db;User Id=app;{SensitiveKey(inText: true)}={secret};Database=shop",
            _ => $"acct#{secret}",
        };
        return _random.Next(3) switch
        {
            0 => planted,
            1 => $"failed ({planted}) while retrying",
            _ => $"{ShortOdd()} {planted} {ShortOdd()}",
        };
    }

    /// <summary>A live object graph up to <paramref name="depth"/> levels, secrets planted under sensitive names.</summary>
    public object? Graph(int depth)
    {
        if (depth <= 0)
        {
            return Leaf();
        }

        switch (_random.Next(12))
        {
            case 0:
            case 1:
                return Leaf();
            case 2:
            {
                var dictionary = new Dictionary<string, object?>();
                for (var i = _random.Next(6); i >= 0; i--)
                {
                    dictionary[PlainKey()] = Graph(depth - 1);
                }

                dictionary[SensitiveKey()] = _random.Next(3) == 0 ? Graph(depth - 1) : Secret();
                if (_random.Next(4) == 0)
                {
                    dictionary["self"] = dictionary;
                }

                return dictionary;
            }

            case 3:
            {
                var list = new List<object?>();
                for (var i = _random.Next(8); i >= 0; i--)
                {
                    list.Add(Graph(depth - 1));
                }

                if (_random.Next(4) == 0)
                {
                    list.Add(list);
                }

                return _random.Next(2) == 0 ? list : list.ToArray();
            }

            case 4:
                return _random.Next(3) switch
                {
                    0 => new Dictionary<int, object?> { [1] = Graph(depth - 1), [-7] = OddString() },
                    1 => new Dictionary<object, object?> { [Guid.Empty] = Graph(depth - 1), [new Key(OddString())] = Leaf(), [3.5] = null },
                    _ => new Hashtable { [new ThrowingToString()] = Graph(depth - 1), [DateTime.UnixEpoch] = Leaf() },
                };
            case 5:
            {
                var node = new Node { Name = OddString(), Password = Secret(), ApiKey = Secret(), SessionId = Secret(), Child = Graph(depth - 1) };
                node.Other = _random.Next(3) == 0 ? node : Graph(depth - 1);
                return node;
            }

            case 6:
                return new ThrowingGetter { Inner = Graph(depth - 1) };
            case 7:
                return new ThrowingToString();
            case 8:
                return JsonDocument.Parse(Json(Math.Min(depth, 6), valid: true)).RootElement.Clone();
            case 9:
                return Deep(_random.Next(50, 300));
            case 10:
                return new KeyValuePair<string, object?>(SensitiveKey(), Secret());
            default:
                return TextWithSecret();
        }
    }

    /// <summary>
    /// JSON text: when <paramref name="valid"/>, well formed with secrets under sensitive keys and in secret-shaped
    /// strings; otherwise cut short, unbalanced or otherwise broken, still holding secrets.
    /// </summary>
    public string Json(int depth, bool valid)
    {
        var builder = new StringBuilder();
        WriteJson(builder, depth);
        var text = builder.ToString();
        if (valid)
        {
            return text;
        }

        return _random.Next(5) switch
        {
            0 => text[..Math.Max(1, _random.Next(text.Length))],
            1 => text + "}]}",
            2 => text.Replace(":", "", StringComparison.Ordinal),
            3 => "{\"" + SensitiveKey() + "\": \"" + Secret() + "\", " + text,
            _ => text.Replace("\"", "'", StringComparison.Ordinal),
        };
    }

    /// <summary>A JSON array nested <paramref name="levels"/> deep, with a secret under a sensitive key at the bottom.</summary>
    public string DeepJson(int levels) =>
        new string('[', levels) + "{\"" + SensitiveKey() + "\":\"" + Secret() + "\"}" + new string(']', levels);

    private void WriteJson(StringBuilder builder, int depth)
    {
        if (depth <= 0 || _random.Next(4) == 0)
        {
            switch (_random.Next(5))
            {
                case 0:
                    builder.Append(_random.Next(-1000, 1000));
                    break;
                case 1:
                    builder.Append(JsonSerializer.Serialize(ShortOdd()));
                    break;
                case 2:
                    builder.Append(JsonSerializer.Serialize(TextWithSecret()));
                    break;
                case 3:
                    builder.Append("null");
                    break;
                default:
                    builder.Append(_random.Next(2) == 0 ? "true" : "1e308");
                    break;
            }

            return;
        }

        if (_random.Next(3) == 0)
        {
            builder.Append('[');
            for (var i = _random.Next(5); i >= 0; i--)
            {
                WriteJson(builder, depth - 1);
                builder.Append(i > 0 ? "," : "");
            }

            builder.Append(']');
            return;
        }

        builder.Append('{');
        for (var i = _random.Next(4); i >= 0; i--)
        {
            builder.Append(JsonSerializer.Serialize(PlainKey())).Append(':');
            WriteJson(builder, depth - 1);
            builder.Append(',');
        }

        builder.Append(JsonSerializer.Serialize(SensitiveKey())).Append(':');
        if (_random.Next(3) == 0)
        {
            WriteJson(builder, depth - 1);
        }
        else
        {
            builder.Append('"').Append(Secret()).Append('"');
        }

        builder.Append('}');
    }

    private object? Leaf() => _random.Next(10) switch
    {
        0 => null,
        1 => _random.Next(),
        2 => _random.Next(3) switch { 0 => double.NaN, 1 => double.NegativeInfinity, _ => -0.0 },
        3 => decimal.MaxValue,
        4 => DateTimeOffset.MinValue,
        5 => Guid.NewGuid(),
        6 => new Uri("https://bob:" + Secret() + "@example.com/x"),
        7 => TextWithSecret(),
        _ => OddString(),
    };

    private string ShortOdd()
    {
        var odd = OddString();
        return odd.Length > 200 ? odd[..200] : odd;
    }

    private object Deep(int levels)
    {
        object current = new Dictionary<string, object?> { [SensitiveKey()] = Secret() };
        for (var i = 0; i < levels; i++)
        {
            current = new List<object> { current };
        }

        return current;
    }

    /// <summary>A class with secret-named members and references that may close a cycle.</summary>
    public sealed class Node
    {
        /// <summary>Odd text.</summary>
        public string? Name { get; set; }

        /// <summary>A secret.</summary>
        public string? Password { get; set; }

        /// <summary>A secret.</summary>
        public string? ApiKey { get; set; }

        /// <summary>A secret.</summary>
        public string? SessionId { get; set; }

        /// <summary>More graph.</summary>
        public object? Child { get; set; }

        /// <summary>More graph, or this node.</summary>
        public object? Other { get; set; }
    }

    /// <summary>A property that throws when read, next to one that does not.</summary>
    public sealed class ThrowingGetter
    {
        /// <summary>More graph.</summary>
        public object? Inner { get; set; }

        /// <summary>Throws.</summary>
        public string Broken => throw new InvalidOperationException("getter failed");

        /// <summary>Throws something unusual.</summary>
        public int Worse => throw new StackOverflowInsteadException();
    }

    /// <summary>Throws from <see cref="ToString"/> and <see cref="GetHashCode"/>.</summary>
    public sealed class ThrowingToString
    {
        /// <inheritdoc />
        public override string ToString() => throw new FormatException("ToString failed");

        /// <inheritdoc />
        public override int GetHashCode() => 17;

        /// <inheritdoc />
        public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    }

    /// <summary>A dictionary key that is an object.</summary>
    public sealed record Key(string Text);

    /// <summary>An exception type a getter throws.</summary>
    public sealed class StackOverflowInsteadException : Exception
    {
        /// <summary>Creates it.</summary>
        public StackOverflowInsteadException()
            : base("not really")
        {
        }
    }
}
