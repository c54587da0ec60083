using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Reflection;
using System.Text.Json;
using ErrorTracking.Context;
using ErrorTracking.Masking;
using ErrorTracking.Records;

namespace ErrorTracking.Capture;

/// <summary>
/// Turns live values into bounded, masked <see cref="RecordedValue"/> trees. It reads properties and public
/// fields, enumerates only materialized collections and calls <c>ToString</c>; it never runs other code.
/// </summary>
internal sealed class ValueRenderer
{
    private readonly SecretMasker _masker;
    private readonly CaptureLimits _limits;
    private readonly TypeShapes _shapes = new();

    public ValueRenderer(SecretMasker masker, CaptureLimits limits)
    {
        _masker = masker;
        _limits = limits;
    }

    public SecretMasker Masker => _masker;

    /// <summary>A budget for one occurrence.</summary>
    public CaptureBudget NewBudget() =>
        new(_limits.MaxNodes * CaptureBudget.NodesPerEventFactor, CaptureBudget.CharactersPerEvent);

    /// <summary>Renders a value known by <paramref name="name"/>, masking it whole when the name is secret.</summary>
    public RecordedValue RenderNamed(string name, object? value, int? maxNodes = null) => RenderNamed(name, value, NewBudget(), maxNodes);

    /// <summary>Renders a value known by <paramref name="name"/> within an occurrence's budget.</summary>
    public RecordedValue RenderNamed(string name, object? value, CaptureBudget budget, int? maxNodes = null)
    {
        // A request section's label is the integration's, not a name the application chose: only its entries are
        // judged by their names.
        if (value is not (RequestSection or UnparsedText) && _masker.TryMaskName(name, out var replacement))
        {
            return RecordedValue.Masked(replacement);
        }

        return Render(value, new RenderState(maxNodes ?? _limits.MaxNodes, budget), depth: 0);
    }

    /// <summary>
    /// Spreads a bag of variables into named values: the properties of an anonymous object or POCO, or the
    /// entries of a dictionary.
    /// </summary>
    public IReadOnlyList<NamedValue> RenderMembers(object? bag, CaptureBudget budget)
    {
        if (bag is null)
        {
            return [];
        }

        var state = new RenderState(_limits.MaxNodes, budget);
        var rendered = Render(bag, state, depth: -1);
        return rendered.Kind is RecordedValueKind.Object or RecordedValueKind.Dictionary
            ? rendered.Children
            : [new NamedValue("value", rendered)];
    }

    /// <summary>Renders pairs whose names are already known (context entries, request data).</summary>
    public IReadOnlyList<NamedValue> RenderPairs(IEnumerable<KeyValuePair<string, object?>> pairs, CaptureBudget budget)
    {
        var result = new List<NamedValue>();
        foreach (var (key, value) in pairs)
        {
            result.Add(new NamedValue(key, RenderNamed(key, value, budget)));
        }

        return result;
    }

    public string Clip(string text) =>
        text.Length <= _limits.MaxStringLength ? text : string.Concat(text.AsSpan(0, _limits.MaxStringLength), "...");

    // Clipped before it is scanned, so an attacker's megabyte costs the scan of MaxStringLength characters only, but
    // with a margin: a token cut in half at the limit no longer has its shape, and its first half would be kept.
    public string MaskAndClip(string text) =>
        Clip(_masker.MaskText(text.Length <= _limits.MaxStringLength + ScanMargin ? text : text[..(_limits.MaxStringLength + ScanMargin)]));

    private const int ScanMargin = 1024;

    private RecordedValue Render(object? value, RenderState state, int depth)
    {
        try
        {
            return RenderUnguarded(value, state, depth);
        }
        catch (Exception exception)
        {
            return Failed(exception);
        }
    }

    private RecordedValue RenderUnguarded(object? value, RenderState state, int depth)
    {
        if (value is null)
        {
            return RecordedValue.Null;
        }

        if (!state.TakeNode())
        {
            return new RecordedValue { Kind = RecordedValueKind.Truncated, Text = "rendering budget exhausted" };
        }

        if (value is UnparsedText unparsed)
        {
            var masked = _masker.MaskUnparsed(Clip(unparsed.Text));
            var granted = state.Budget.TakeCharacters(masked.Length);
            return RecordedValue.Scalar(granted == masked.Length ? masked : string.Concat(masked.AsSpan(0, granted), "..."), "string");
        }

        var type = value.GetType();
        var shape = _shapes.Get(type);
        switch (shape.Kind)
        {
            case TypeShapeKind.Text:
                return RecordedValue.Scalar(Text((string)value, state), shape.TypeName);
            case TypeShapeKind.Scalar:
                return RecordedValue.Scalar(MaskScalar(FormatScalar(value)), shape.TypeName);
            case TypeShapeKind.Uri:
                return RecordedValue.Scalar(Text(((Uri)value).OriginalString, state), shape.TypeName);
            case TypeShapeKind.Skipped:
                return new RecordedValue { Kind = RecordedValueKind.Skipped, TypeName = shape.TypeName, Text = shape.SkipReason };
            case TypeShapeKind.Json:
                return RenderJson((JsonElement)value, state, depth);
        }

        if (depth >= _limits.MaxDepth)
        {
            return new RecordedValue { Kind = RecordedValueKind.Truncated, TypeName = shape.TypeName, Text = "nesting limit reached" };
        }

        var tracked = !type.IsValueType;
        if (tracked && !state.Ancestors.Add(value))
        {
            return new RecordedValue { Kind = RecordedValueKind.Cycle, TypeName = shape.TypeName, Text = "reference to an enclosing value" };
        }

        try
        {
            return shape.Kind switch
            {
                TypeShapeKind.Dictionary => RenderDictionary((IDictionary)value, shape, state, depth),
                TypeShapeKind.KeyValuePairs => RenderPairs((IEnumerable)value, shape, state, depth),
                TypeShapeKind.Pair => RenderPairs(new[] { value }, shape, state, depth),
                TypeShapeKind.Tuple => RenderTuple((ITuple)value, shape, state, depth),
                TypeShapeKind.NameValueCollection => RenderNameValues((NameValueCollection)value, shape, state, depth),
                TypeShapeKind.Collection => RenderCollection((IEnumerable)value, shape, state, depth),
                TypeShapeKind.ToStringObject => RecordedValue.Scalar(Text(SafeToString(value), state), shape.TypeName),
                _ => RenderObject(value, shape, state, depth),
            };
        }
        catch (Exception exception)
        {
            return Failed(exception);
        }
        finally
        {
            if (tracked)
            {
                state.Ancestors.Remove(value);
            }
        }
    }

    private RecordedValue RenderObject(object value, TypeShape shape, RenderState state, int depth)
    {
        var children = new List<NamedValue>(Math.Min(shape.Members.Count, _limits.MaxCollectionItems));
        foreach (var member in shape.Members.Take(_limits.MaxCollectionItems))
        {
            children.Add(new NamedValue(member.Name, RenderMember(value, member, state, depth + 1)));
        }

        return new RecordedValue
        {
            Kind = RecordedValueKind.Object,
            TypeName = shape.TypeName,
            Children = children,
            OriginalCount = shape.Members.Count > _limits.MaxCollectionItems ? shape.Members.Count : null,
        };
    }

    private RecordedValue RenderMember(object owner, MemberInfo member, RenderState state, int depth)
    {
        if (_masker.TryMaskName(member.Name, out var replacement))
        {
            return RecordedValue.Masked(replacement);
        }

        object? memberValue;
        try
        {
            memberValue = member is PropertyInfo property ? property.GetValue(owner) : ((FieldInfo)member).GetValue(owner);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            return Failed(exception.InnerException);
        }
        catch (Exception exception)
        {
            return Failed(exception);
        }

        return Render(memberValue, state, depth);
    }

    private RecordedValue RenderDictionary(IDictionary dictionary, TypeShape shape, RenderState state, int depth)
    {
        var children = new List<NamedValue>();
        var enumerator = dictionary.GetEnumerator();
        try
        {
            while (children.Count < _limits.MaxCollectionItems && enumerator.MoveNext())
            {
                var entry = enumerator.Entry;
                children.Add(Entry(KeyText(entry.Key), entry.Value, state, depth));
            }
        }
        finally
        {
            (enumerator as IDisposable)?.Dispose();
        }

        return Container(RecordedValueKind.Dictionary, shape, children, dictionary.Count);
    }

    private RecordedValue RenderPairs(IEnumerable pairs, TypeShape shape, RenderState state, int depth)
    {
        var keyProperty = (PropertyInfo)shape.Members[0];
        var valueProperty = (PropertyInfo)shape.Members[1];
        var children = new List<NamedValue>();
        var total = 0;
        foreach (var pair in pairs)
        {
            total++;
            if (children.Count < _limits.MaxCollectionItems)
            {
                children.Add(Entry(KeyText(keyProperty.GetValue(pair)), valueProperty.GetValue(pair), state, depth));
            }
        }

        return Container(RecordedValueKind.Dictionary, shape, children, total);
    }

    // Tuple elements have no names at run time; an element after a string that names a secret is masked.
    private RecordedValue RenderTuple(ITuple tuple, TypeShape shape, RenderState state, int depth)
    {
        var children = new List<NamedValue>(tuple.Length);
        for (var i = 0; i < tuple.Length && i < _limits.MaxCollectionItems; i++)
        {
            var name = $"Item{i + 1}";
            children.Add(i > 0 && tuple[i - 1] is string previous && _masker.TryMaskName(previous, out var replacement)
                ? new NamedValue(name, RecordedValue.Masked(replacement))
                : Entry(name, tuple[i], state, depth));
        }

        return Container(RecordedValueKind.Object, shape, children, tuple.Length);
    }

    private RecordedValue RenderNameValues(NameValueCollection values, TypeShape shape, RenderState state, int depth)
    {
        var children = new List<NamedValue>();
        foreach (var key in values.AllKeys.Take(_limits.MaxCollectionItems))
        {
            var entries = values.GetValues(key);
            object? entry = entries is { Length: 1 } ? entries[0] : entries;
            children.Add(Entry(key ?? "", entry, state, depth));
        }

        return Container(RecordedValueKind.Dictionary, shape, children, values.Count);
    }

    private RecordedValue RenderCollection(IEnumerable items, TypeShape shape, RenderState state, int depth)
    {
        var children = new List<NamedValue>();
        var total = 0;
        foreach (var item in items)
        {
            if (children.Count < _limits.MaxCollectionItems)
            {
                children.Add(new NamedValue($"[{total}]", Render(item, state, depth + 1)));
            }

            total++;
            if (total > _limits.MaxCollectionItems && items is ICollection)
            {
                total = ((ICollection)items).Count;
                break;
            }
        }

        return Container(RecordedValueKind.Collection, shape, children, total);
    }

    private RecordedValue RenderJson(JsonElement element, RenderState state, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                if (depth >= _limits.MaxDepth)
                {
                    return new RecordedValue { Kind = RecordedValueKind.Truncated, TypeName = "json", Text = "nesting limit reached" };
                }

                var children = new List<NamedValue>();
                var total = 0;
                foreach (var property in element.EnumerateObject())
                {
                    if (total++ < _limits.MaxCollectionItems)
                    {
                        children.Add(_masker.TryMaskName(property.Name, out var replacement)
                            ? new NamedValue(property.Name, RecordedValue.Masked(replacement))
                            : new NamedValue(property.Name, RenderJsonChild(property.Value, state, depth)));
                    }
                }

                return new RecordedValue
                {
                    Kind = RecordedValueKind.Dictionary, TypeName = "json", Children = children,
                    OriginalCount = total > children.Count ? total : null,
                };
            }

            case JsonValueKind.Array:
            {
                if (depth >= _limits.MaxDepth)
                {
                    return new RecordedValue { Kind = RecordedValueKind.Truncated, TypeName = "json", Text = "nesting limit reached" };
                }

                var children = new List<NamedValue>();
                var total = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (total < _limits.MaxCollectionItems)
                    {
                        children.Add(new NamedValue($"[{total}]", RenderJsonChild(item, state, depth)));
                    }

                    total++;
                }

                return new RecordedValue
                {
                    Kind = RecordedValueKind.Collection, TypeName = "json", Children = children,
                    OriginalCount = total > children.Count ? total : null,
                };
            }

            case JsonValueKind.String:
                return RecordedValue.Scalar(Text(element.GetString() ?? "", state), "string");
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return RecordedValue.Null;
            default:
                return RecordedValue.Scalar(element.GetRawText(), element.ValueKind == JsonValueKind.Number ? "number" : "bool");
        }
    }

    private RecordedValue RenderJsonChild(JsonElement element, RenderState state, int depth)
    {
        if (!state.TakeNode())
        {
            return new RecordedValue { Kind = RecordedValueKind.Truncated, Text = "rendering budget exhausted" };
        }

        return RenderJson(element, state, depth + 1);
    }

    private NamedValue Entry(string key, object? value, RenderState state, int depth) =>
        _masker.TryMaskName(key, out var replacement)
            ? new NamedValue(key, RecordedValue.Masked(replacement))
            : new NamedValue(key, Render(value, state, depth + 1));

    private static RecordedValue Container(RecordedValueKind kind, TypeShape shape, List<NamedValue> children, int total) => new()
    {
        Kind = kind,
        TypeName = shape.TypeName,
        Children = children,
        OriginalCount = total > children.Count ? total : null,
    };

    // Keys are text like any other: a connection string used as a key is masked too.
    private string KeyText(object? key) => key switch
    {
        null => "null",
        string text => MaskAndClip(text),
        _ => MaskAndClip(SafeToString(key)),
    };

    // A number can be a secret too (a card number kept in a long); most are too short for any detector to look at.
    private string MaskScalar(string formatted) => formatted.Length < 11 ? formatted : _masker.MaskText(formatted);

    private static string FormatScalar(object value) => value switch
    {
        DateTime time => time.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("o", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string SafeToString(object value)
    {
        try
        {
            return value.ToString() ?? "";
        }
        catch (Exception exception)
        {
            return $"<{exception.GetType().Name} raised while rendering value>";
        }
    }

    /// <summary>The value shown when reading a value threw, naming the exception type as upstream does.</summary>
    public static RecordedValue Failed(Exception exception) => new()
    {
        Kind = RecordedValueKind.Error,
        TypeName = exception.GetType().FullName,
        Text = $"<{exception.GetType().Name} raised while rendering value>",
    };

    // Masked, then cut to the per-string limit and to what the occurrence's character budget has left.
    private string Text(string text, RenderState state)
    {
        var masked = MaskAndClip(text);
        var granted = state.Budget.TakeCharacters(masked.Length);
        return granted == masked.Length ? masked : string.Concat(masked.AsSpan(0, granted), "...");
    }

    private sealed class RenderState(int maxNodes, CaptureBudget budget)
    {
        private int _nodesLeft = maxNodes;

        public HashSet<object> Ancestors { get; } = new(ReferenceEqualityComparer.Instance);

        public CaptureBudget Budget { get; } = budget;

        public bool TakeNode() => --_nodesLeft >= 0 && Budget.TakeNode();
    }
}
