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
}
