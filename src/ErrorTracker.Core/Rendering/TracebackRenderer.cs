using System.Text;
using ErrorTracking.Records;

namespace ErrorTracking.Rendering;

/// <summary>
/// The plain-text traceback of an occurrence, for emails, tickets, the command-line tool and copy-paste: the .NET
/// stack trace layout, with each in-app frame's failing source line and each frame's variables listed under it as
/// upstream's frame dump does. Built from the masked record only, with <see cref="VisibleText"/> escapes.
/// </summary>
public static class TracebackRenderer
{
    /// <summary>Renders the occurrence's exception chain with frames, variables, data and context.</summary>
    /// <param name="occurrence">The occurrence.</param>
    /// <returns>The traceback text.</returns>
    public static string Render(ErrorEvent occurrence)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        var text = new StringBuilder();
        AppendException(text, occurrence.Exception, indent: "");
        AppendValues(text, "Context", occurrence.Context);
        AppendValues(text, "Request", occurrence.RequestData);
        // Once over the whole text: every recorded part of it (names, messages, files, source lines) is covered.
        return VisibleText.Escape(text.ToString());
    }

    private static void AppendException(StringBuilder text, ExceptionDetail exception, string indent)
    {
        text.Append(indent).Append(exception.Type).Append(": ").AppendLine(exception.Message);
        foreach (var frame in exception.Frames)
        {
            text.Append(indent).Append("   at ").Append(frame.Signature);
            if (frame.File is not null)
            {
                text.Append(" in ").Append(frame.File);
                if (frame.Line is { } line)
                {
                    text.Append(":line ").Append(line);
                }
            }

            text.AppendLine();
            if (frame.InApp && FailingLine(frame) is { } source)
            {
                // The application's own line that failed, as the dashboard highlights it: often all a reader needs.
                text.Append(indent).Append("        > ").AppendLine(source.Trim());
            }

            foreach (var variable in frame.Variables)
            {
                text.Append(indent).Append("        ").Append(variable.Name).Append(" (").Append(OriginLabels.Label(variable.Origin)).Append(") = ")
                    .AppendLine(ValueText.Format(variable.Value));
            }
        }

        foreach (var property in exception.Properties.Where(p => p.Name != nameof(Exception.HResult)))
        {
            text.Append(indent).Append("   property ").Append(property.Name).Append(" = ").AppendLine(ValueText.Format(property.Value));
        }

        foreach (var entry in exception.Data)
        {
            text.Append(indent).Append("   data ").Append(entry.Name).Append(" = ").AppendLine(ValueText.Format(entry.Value));
        }

        foreach (var inner in exception.InnerExceptions)
        {
            text.Append(indent).AppendLine(" ---> inner exception:");
            AppendException(text, inner, indent + "    ");
        }
    }

    private static string? FailingLine(FrameDetail frame) =>
        frame is { Source: { } source, Line: { } line } && line - source.FirstLineNumber is var index && index >= 0 && index < source.Lines.Count
            ? source.Lines[index]
            : null;

    private static void AppendValues(StringBuilder text, string title, IReadOnlyList<NamedValue> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        text.AppendLine().Append(title).AppendLine(":");
        foreach (var value in values)
        {
            text.Append("    ").Append(value.Name).Append(" = ").AppendLine(ValueText.Format(value.Value));
        }
    }
}
