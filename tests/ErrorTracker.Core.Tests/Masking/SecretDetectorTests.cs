using ErrorTracking.Configuration;
using ErrorTracking.Masking;
using ErrorTracking.Testing.Secrets;

namespace ErrorTracking.Tests.Masking;

public sealed class SecretDetectorTests
{
    private const string Mask = "[masked]";

    private static SecretMasker Masker(IEnumerable<SecretDetector>? detectors = null) =>
        new(new KeyFragmentMaskingRule(ErrorTrackerOptions.DefaultMaskedKeys, Mask), Mask, maskText: true, [], detectors);

    private static IEnumerable<TestCaseData> Formats() =>
        SecretCorpus.Formats.Select((format, index) => new TestCaseData(index).SetArgDisplayNames(format.Format));

    [TestCaseSource(nameof(Formats))]
    public void A_bare_secret_of_each_format_is_replaced_by_its_detectors_marker(int index)
    {
        var corpus = new SecretCorpus(index);
        var format = SecretCorpus.Formats[index];
        var masker = Masker();
        for (var sample = 0; sample < 20; sample++)
        {
            var secret = format.Make(corpus);
            foreach (var text in new[] { secret, $"Call failed with {secret} as credential.", $"\"{secret}\"", $"/hooks/{Uri.EscapeDataString(secret)}/run?next=1" })
            {
                var masked = masker.MaskText(text);

                masked.Should().NotContain(secret, $"{format.Format} in '{text}'").And.NotContain(Uri.EscapeDataString(secret));
                masked.Should().MatchRegex(@"\[[a-z0-9\-]+\]", "a typed marker says what was found");
            }
        }
    }

    [Test]
    public void The_corpus_covers_at_least_forty_formats() => SecretCorpus.Formats.Count.Should().BeGreaterThanOrEqualTo(40);

    [Test]
    public void Ordinary_strings_a_tracker_is_full_of_stay_visible()
    {
        var masker = Masker();
        var samples = BenignCorpus.Samples();

        var masked = samples.Where(sample => masker.MaskText(sample.Text) != sample.Text)
            .Select(sample => $"{sample.Kind}: {sample.Text} -> {masker.MaskText(sample.Text)}").ToList();

        samples.Should().HaveCountGreaterThanOrEqualTo(500);
        masked.Should().BeEmpty();
    }

    [TestCase("4111 1111 1111 1112", TestName = "A card number whose Luhn check fails stays visible")]
    [TestCase("DE89370400440532013001", TestName = "An IBAN whose mod-97 check fails stays visible")]
    [TestCase("eyJub3Rqc29u.eyJzdWIiOiIxIn0.abcdefghijklmnop", TestName = "Three base64url parts whose header is no JSON stay visible")]
    [TestCase("000-12-3456", TestName = "A social security number in a range never issued stays visible")]
    public void A_lookalike_that_fails_its_validator_stays_visible(string text) => Masker().MaskText(text).Should().Be(text);

    [TestCase("4111 1111 1111 1111", "[payment-card]")]
    [TestCase("DE89 3704 0044 0532 0130 00", "[iban]")]
    [TestCase("card 4111-1111-1111-1111 declined", "card [payment-card] declined")]
    [TestCase("see https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX now", "see https://hooks.slack.com/services/[slack-webhook] now")]
    public void Only_the_secret_is_replaced(string text, string expected) => Masker().MaskText(text).Should().Be(expected);

    [Test]
    public void A_disabled_detector_no_longer_masks_and_the_others_still_do()
    {
        var options = new ErrorTrackerOptions { DisabledSecretDetectors = ["payment-card"] };
        var masker = Masker(SecretScanner.Select(options.DisabledSecretDetectors, options.SecretDetectors));

        masker.MaskText("4111 1111 1111 1111").Should().Be("4111 1111 1111 1111");
        masker.MaskText("DE89 3704 0044 0532 0130 00").Should().Be("[iban]");
    }

    [Test]
    public void An_added_detector_masks_its_format_with_its_validator_and_hints()
    {
        var added = new SecretDetector("shop-key", @"shop_[a-z0-9]{12}", validator: match => !match.EndsWith("000000000000", StringComparison.Ordinal), hints: ["shop_"]);
        var masker = Masker(SecretScanner.Select([], [added]));

        masker.MaskText("key shop_a1b2c3d4e5f6 used").Should().Be("key [shop-key] used");
        masker.MaskText("key shop_000000000000 used").Should().Be("key shop_000000000000 used");
    }

    [TestCase("Shop Key")]
    [TestCase("")]
    public void A_detector_name_that_cannot_be_a_marker_is_refused(string name)
    {
        var create = () => new SecretDetector(name, "x");

        create.Should().Throw<ArgumentException>();
    }

    [Test]
    public void Unknown_disabled_detectors_and_added_ones_named_as_built_ins_stop_the_start_with_the_key()
    {
        var options = new ErrorTrackerOptions { DisabledSecretDetectors = ["github-tokens"] };
        options.SecretDetectors.Add(new SecretDetector("jwt", "x"));

        var result = new ErrorTrackerOptionsValidator([]).Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("ErrorTracker:DisabledSecretDetectors names 'github-tokens'")
            .And.Contain("github-token")
            .And.Contain("ErrorTracker:SecretDetectors adds 'jwt'");
    }

    [Test]
    public void A_private_key_cut_before_its_end_line_is_masked_to_the_end_of_the_text()
    {
        var key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4";

        Masker().MaskText("config: " + key).Should().Be("config: [private-key]");
    }

    [Test]
    public void A_token_cut_at_the_string_limit_is_still_found_whole()
    {
        // The renderer scans past the limit before it cuts, so the half of a token that would be kept is masked.
        var renderer = new ErrorTracking.Capture.ValueRenderer(Masker(), new ErrorTracking.Capture.CaptureLimits(100, 10, 5, 100));
        var token = "ghp_" + new string('a', 18) + new string('B', 18);

        renderer.MaskAndClip(new string('x', 90) + " " + token).Should().NotContain("aaaaaa");
    }

    [Test]
    public void A_card_number_kept_in_a_long_is_masked()
    {
        var renderer = new ErrorTracking.Capture.ValueRenderer(Masker(), new ErrorTracking.Capture.CaptureLimits(1000, 10, 5, 100));

        renderer.RenderNamed("value", 4111111111111111L).Text.Should().Be("[payment-card]");
        renderer.RenderNamed("value", 1733332800000L).Text.Should().Be("1733332800000");
    }
}
