using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Testing;

namespace ErrorTracking.Tests.Rendering;

public sealed class TracebackRendererTests
{
    [Test]
    public void An_in_app_frame_shows_its_failing_line_and_a_framework_frame_does_not()
    {
        var source = new SourceContext(20, ["    var rate = _rates[currency];", "    return total * rate;", "}"]);
        var occurrence = TestEvents.Occurrence("h") with
        {
            Exception = new ExceptionDetail
            {
                Type = "System.Collections.Generic.KeyNotFoundException",
                Message = "The given key 'CHF' was not present in the dictionary.",
                Frames =
                [
                    new FrameDetail { DeclaringType = "Shop.Reports", Method = "Convert", File = "Reports.cs", Line = 21, InApp = true, Source = source },
                    new FrameDetail { DeclaringType = "System.Linq.Enumerable", Method = "Sum", File = "Sum.cs", Line = 21, InApp = false, Source = source },
                ],
            },
        };

        var lines = TracebackRenderer.Render(occurrence).Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        lines[1].Should().Be("   at Shop.Reports.Convert() in Reports.cs:line 21");
        lines[2].Should().Be("        > return total * rate;");
        lines[3].Should().Be("   at System.Linq.Enumerable.Sum() in Sum.cs:line 21");
        lines[4].Should().NotStartWith("        >");
    }

    [Test]
    public void Invisible_and_reordering_characters_are_shown_as_escapes_everywhere_in_the_traceback()
    {
        var occurrence = TestEvents.Occurrence("h") with
        {
            Exception = new ExceptionDetail
            {
                Type = "Shop.Upload\u200BException",
                Message = "Refused invoice_\u202Egnp.exe",
                Frames =
                [
                    new FrameDetail
                    {
                        DeclaringType = "Shop.Files",
                        Method = "Store",
                        File = "Files\u2066.cs",
                        Line = 1,
                        InApp = true,
                        Source = new SourceContext(1, ["var name = \"a\u2028b\";"]),
                        Variables = [new CapturedVariable("name", RecordedValue.Scalar("invoice_\u202Egnp.exe", "string"), VariableOrigin.Argument)],
                    },
                ],
            },
            RequestData = [new NamedValue("Header", RecordedValue.Scalar("esc\u001B[2J", "string"))],
        };

        var text = TracebackRenderer.Render(occurrence);

        text.Should().Contain("Shop.Upload⟨U+200B⟩Exception: Refused invoice_⟨U+202E⟩gnp.exe")
            .And.Contain("in Files⟨U+2066⟩.cs:line 1")
            .And.Contain("> var name = \"a⟨U+2028⟩b\";")
            .And.Contain("name (argument) = \"invoice_⟨U+202E⟩gnp.exe\"")
            .And.Contain("Header = \"esc⟨U+001B⟩[2J\"");
        text.Should().NotContainAny("\u202E", "\u200B", "\u2066", "\u2028", "\u001B");
    }

    [Test]
    public void A_value_on_its_own_is_shown_with_escapes() =>
        ValueText.Format(RecordedValue.Scalar("invoice_\u202Egnp.exe", "string")).Should().Be("\"invoice_⟨U+202E⟩gnp.exe\"");
}
