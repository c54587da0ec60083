using ErrorTracking.Http.Content;
using ErrorTracking.Http.Tests.Support;

namespace ErrorTracking.Http.Tests;

/// <summary>Tickets and chat messages show invisible and reordering characters as escapes, in every format.</summary>
public sealed class VisibleTextContentTests
{
    private const string Reversed = "invoice_\u202Egnp.exe";

    private const string Shown = "invoice_⟨U+202E⟩gnp.exe";

    private static readonly string[] Raw = ["\u202E", "\u2066", "\u001B"];

    private static ErrorTracking.Records.ErrorEvent Occurrence() =>
        Samples.Occurrence("Refused " + Reversed + "\u001B[2J") with { Url = "https://shop.example.com/up\u2066load" };

    [Test]
    public void A_ticket_title_shows_escapes() =>
        TicketText.Title(Occurrence()).Should().Be($"System.InvalidOperationException: Refused {Shown}⟨U+001B⟩[2J (POST /orders/42)");

    [TestCase("plain")]
    [TestCase("markdown")]
    [TestCase("slack")]
    public void A_new_ticket_and_a_recurrence_comment_show_escapes_in_their_facts_and_text(string format)
    {
        var occurrence = Occurrence();
        var record = Samples.Record(occurrence);

        foreach (var text in new[]
        {
            TicketText.Raised(record, occurrence, Samples.Dashboard, Format(format)),
            TicketText.Recurred(record, occurrence, Samples.Dashboard, Format(format)),
        })
        {
            text.Should().Contain("https://shop.example.com/up⟨U+2066⟩load").And.Contain($"Refused {Shown}⟨U+001B⟩[2J");
            text.Should().NotContainAny(Raw);
        }
    }

    [Test]
    public void A_chat_message_shows_escapes_even_in_a_subject_made_elsewhere()
    {
        var text = SlackText.For(Samples.Notification(Occurrence()));

        text.Should().Contain($"Refused {Shown}⟨U+001B⟩[2J");
        text.Should().NotContainAny(Raw);
    }

    // By name: the formats are internal, and a test method's parameters are public.
    private static TextFormat Format(string name) => name switch
    {
        "plain" => TextFormat.Plain,
        "markdown" => TextFormat.Markdown,
        _ => TextFormat.Slack,
    };
}
