using ErrorTracking.Rendering;

namespace ErrorTracking.Tests.Rendering;

public sealed class VisibleTextTests
{
    [TestCase("invoice_\u202Egnp.exe", "invoice_⟨U+202E⟩gnp.exe")] // right-to-left override
    [TestCase("\u202A\u202B\u202C\u202D", "⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩")] // embeddings, pop, left-to-right override
    [TestCase("a\u2066b\u2067c\u2068d\u2069", "a⟨U+2066⟩b⟨U+2067⟩c⟨U+2068⟩d⟨U+2069⟩")] // isolates
    [TestCase("\u200E\u200F\u061C", "⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩")] // directional marks
    [TestCase("pay\u200Bpal\u200C\u200D", "pay⟨U+200B⟩pal⟨U+200C⟩⟨U+200D⟩")] // zero-width space, non-joiner, joiner
    [TestCase("\uFEFFword\u2060", "⟨U+FEFF⟩word⟨U+2060⟩")] // byte order mark, word joiner
    [TestCase("soft\u00ADhyphen", "soft⟨U+00AD⟩hyphen")] // another format character
    [TestCase("one\u2028two\u2029three", "one⟨U+2028⟩two⟨U+2029⟩three")] // line and paragraph separators
    [TestCase("nul\0bell\u0007esc\u001B[2J", "nul⟨U+0000⟩bell⟨U+0007⟩esc⟨U+001B⟩[2J")] // C0 controls
    [TestCase("del\u007Fnel\u0085csi\u009B", "del⟨U+007F⟩nel⟨U+0085⟩csi⟨U+009B⟩")] // DEL and C1 controls
    [TestCase("safe\rforged", "safe⟨U+000D⟩forged")] // a lone carriage return rewrites a terminal line
    [TestCase("tag\U000E0041\U000E0042", "tag⟨U+E0041⟩⟨U+E0042⟩")] // tag characters, format characters beyond the BMP
    public void Each_invisible_or_reordering_character_is_escaped(string text, string expected) =>
        VisibleText.Escape(text).Should().Be(expected);

    // Not as attribute arguments: those are stored as UTF-8, where a lone surrogate turns into U+FFFD.
    [Test]
    public void A_lone_surrogate_is_escaped_and_a_pair_is_kept_whole()
    {
        VisibleText.Escape("lone \uD800 high").Should().Be("lone ⟨U+D800⟩ high");
        VisibleText.Escape("lone \uDC00 low").Should().Be("lone ⟨U+DC00⟩ low");
        VisibleText.Escape("end \uD83D").Should().Be("end ⟨U+D83D⟩");
        VisibleText.Escape("\uDE00\uD83D reversed").Should().Be("⟨U+DE00⟩⟨U+D83D⟩ reversed");
        VisibleText.Escape("\uD83D\uDE00\uD800").Should().Be("\uD83D\uDE00⟨U+D800⟩");
    }

    [TestCase("plain ASCII text, with punctuation: <>&\"'\\`")]
    [TestCase("tab\tand\nnewline\r\nand CRLF")]
    [TestCase("emoji 😀🎉 and 👍🏽 with a skin tone")]
    [TestCase("CJK 漢字かなカナ 한국어 𠜎𠜱")]
    [TestCase("Hebrew שלום and Arabic مرحبا")]
    [TestCase("accents éü and combining e\u0301")]
    [TestCase("")]
    public void Ordinary_text_comes_back_as_the_same_string(string text) =>
        VisibleText.Escape(text).Should().BeSameAs(text);

    [Test]
    public void Null_stays_null() => VisibleText.Escape(null).Should().BeNull();

    [Test]
    public void Escaping_escaped_text_changes_nothing()
    {
        var once = VisibleText.Escape("a\u202Eb\u0000\uD800\U000E0041");

        VisibleText.Escape(once).Should().BeSameAs(once);
    }
}
