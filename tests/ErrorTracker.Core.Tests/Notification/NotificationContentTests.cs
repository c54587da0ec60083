using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Testing;

namespace ErrorTracking.Tests.Notification;

public sealed class NotificationContentTests
{
    private const string Reversed = "invoice_\u202Egnp.exe";

    private static readonly ErrorEvent Occurrence = TestEvents.Occurrence("h", path: "/upload/\u2066x", method: "POST", message: "Refused " + Reversed);

    private static readonly ErrorRecord Record = new()
    {
        Hash = "h",
        ExceptionName = Occurrence.ExceptionType,
        Message = Occurrence.Message,
        Count = 1,
        CreatedOn = TestEvents.Epoch,
        LastSeen = TestEvents.Epoch,
    };

    [Test]
    public void The_subject_shows_escapes() =>
        NotificationContent.Subject("Shop", Occurrence).Should()
            .Be("[Shop] [POST] /upload/⟨U+2066⟩x System.InvalidOperationException: Refused invoice_⟨U+202E⟩gnp.exe");

    [Test]
    public void The_text_body_shows_escapes_in_the_facts_and_the_traceback()
    {
        var body = NotificationContent.Body(Record, Occurrence);

        body.Should().Contain("URL: POST /upload/⟨U+2066⟩x")
            .And.Contain("System.InvalidOperationException: Refused invoice_⟨U+202E⟩gnp.exe");
        body.Should().NotContainAny("\u202E", "\u2066");
    }

    [Test]
    public void The_html_body_shows_escapes_in_the_heading_facts_and_traceback()
    {
        var html = NotificationContent.HtmlBody(Record, Occurrence);

        html.Should().Contain("<h2>System.InvalidOperationException: Refused invoice_⟨U+202E⟩gnp.exe</h2>")
            .And.Contain("<td>POST /upload/⟨U+2066⟩x</td>");
        html.Should().NotContainAny("\u202E", "\u2066", "&#8238;", "&#8294;");
    }
}
