using System.Text;
using ErrorTracking.Records;

namespace ErrorTracking.Rendering;

/// <summary>Writes a <see cref="RecordedValue"/> as one line of text, for tracebacks, emails and logs, with <see cref="VisibleText"/> escapes.</summary>
public static class ValueText
{
    /// <summary>Formats the value: <c>"text"</c>, <c>42</c>, <c>Order { Id = 1, Lines = [2 items] }</c>, <c>{ key: value }</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(RecordedValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder();
        Append(builder, value);
        return VisibleText.Escape(builder.ToString());
    }

    private static void Append(StringBuilder builder, RecordedValue value)
    {
        switch (value.Kind)
        {
            case RecordedValueKind.Null:
                builder.Append("null");
                break;
            case RecordedValueKind.Scalar when value.TypeName == "string":
                builder.Append('"').Append(value.Text).Append('"');
                break;
            case RecordedValueKind.Scalar:
            case RecordedValueKind.Masked:
            case RecordedValueKind.Error:
                builder.Append(value.Text);
                break;
            case RecordedValueKind.Object:
                builder.Append(value.TypeName).Append(" { ");
                AppendChildren(builder, value, " = ");
                builder.Append(" }");
                break;
            case RecordedValueKind.Dictionary:
                builder.Append("{ ");
                AppendChildren(builder, value, ": ");
                builder.Append(" }");
                break;
            case RecordedValueKind.Collection:
                builder.Append('[');
                for (var i = 0; i < value.Children.Count; i++)
                {
                    builder.Append(i == 0 ? "" : ", ");
                    Append(builder, value.Children[i].Value);
                }

                AppendMore(builder, value);
                builder.Append(']');
                break;
            default:
                builder.Append('<').Append(value.Text ?? value.Kind.ToString());
                if (value.TypeName is not null)
                {
                    builder.Append(": ").Append(value.TypeName);
                }

                builder.Append('>');
                break;
        }
    }

    private static void AppendChildren(StringBuilder builder, RecordedValue value, string separator)
    {
        for (var i = 0; i < value.Children.Count; i++)
        {
            builder.Append(i == 0 ? "" : ", ").Append(value.Children[i].Name).Append(separator);
            Append(builder, value.Children[i].Value);
        }

        AppendMore(builder, value);
    }

    private static void AppendMore(StringBuilder builder, RecordedValue value)
    {
        if (value.OriginalCount is { } total && total > value.Children.Count)
        {
            builder.Append(value.Children.Count == 0 ? "" : ", ").Append("... ").Append(total - value.Children.Count).Append(" more");
        }
    }
}
