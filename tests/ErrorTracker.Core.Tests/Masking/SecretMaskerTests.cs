using System.Text.RegularExpressions;
using ErrorTracking.Configuration;
using ErrorTracking.Masking;

namespace ErrorTracking.Tests.Masking;

public sealed class SecretMaskerTests
{
    private const string Mask = "[masked]";

    private static SecretMasker Masker(params string[] extraPatterns) => new(
        new KeyFragmentMaskingRule(ErrorTrackerOptions.DefaultMaskedKeys, Mask),
        Mask,
        maskText: true,
        extraPatterns.Select(SecretMasker.CompileUserPattern));

    [TestCase("Server=db;User Id=app;Password=hunter2;Database=shop", "Server=db;User Id=app;Password=[masked];Database=shop")]
    [TestCase("Host=db;Username=app;Password=correct horse battery;Port=5432", "Host=db;Username=app;Password=[masked];Port=5432")]
    [TestCase("uid=app;pwd=hunter2", "uid=app;pwd=[masked]")]
    [TestCase("GET /login?user=bob&token=abc123&page=2", "GET /login?user=bob&token=[masked]&page=2")]
    [TestCase("{\"user\":\"bob\",\"password\":\"hunter2\"}", "{\"user\":\"bob\",\"password\":\"[masked]\"}")]
    [TestCase("password: hunter2 was rejected", "password: [masked] was rejected")]
    [TestCase("api_key = 'abc-123'", "api_key = '[masked]'")]
    [TestCase("GET https://shop.example/orders/42?token=abc123", "GET https://shop.example/orders/42?token=[masked]")]
    [TestCase("note: see https://x.example/?a=1&secret=s3 now", "note: see https://x.example/?a=1&secret=[masked]")] // after = a value may hold spaces: over-masking is the safe side
    [TestCase("{\"password\": \"with \\\" quote\", \"user\": \"bob\"}", "{\"password\": \"[masked]\", \"user\": \"bob\"}")]
    [TestCase(@"{'note':'failed (\u0022session_cookie\u0022: \u0022abc123\u0022) while retrying'}", @"{'note':'failed (\u0022session_cookie\u0022: \u0022[masked]\u0022) while retrying'}")] // JSON escapes in text that did not parse
    [TestCase(@"token\u0027: \u0027abc123\u0027, next", @"token\u0027: \u0027[masked]\u0027, next")]
    public void Secret_key_values_inside_text_are_masked(string text, string expected) =>
        Masker().MaskText(text).Should().Be(expected);

    [TestCase("{\"child\"null,\"user_secret\"\"s3cr3t-value\"}")]
    public void Unparsed_text_naming_a_secret_whose_value_cannot_be_found_is_withheld_whole(string text)
    {
        var masked = Masker().MaskUnparsed(text);

        masked.Should().NotContain("s3cr3t-value").And.StartWith($"<{text.Length} characters withheld");
    }

    [TestCase("{'user': 'bob', 'password': 'hunter2'", "{'user': 'bob', 'password': '[masked]'")]
    [TestCase("plain text without names worth hiding", "plain text without names worth hiding")]
    public void Unparsed_text_whose_secrets_are_all_found_is_kept_masked(string text, string expected) =>
        Masker().MaskUnparsed(text).Should().Be(expected);

    [TestCase("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJhbGciOiJIUzI1NiJ9")]
    [TestCase("upstream replied 401 for Bearer abcdef123456", "abcdef123456")]
    [TestCase("sent Basic dXNlcjpodW50ZXIy to the proxy", "dXNlcjpodW50ZXIy")]
    public void Credentials_after_an_authorization_scheme_are_masked(string text, string secret)
    {
        var masked = Masker().MaskText(text);

        masked.Should().NotContain(secret);
        masked.Should().Contain(Mask);
    }

    [TestCase("could not reach postgres://app:s3cr3t@db.internal:5432/shop", "could not reach postgres://app:[masked]@db.internal:5432/shop")]
    [TestCase("GET https://bob:hunter2@example.com/x failed", "GET https://bob:[masked]@example.com/x failed")]
    public void Passwords_in_urls_are_masked(string text, string expected) => Masker().MaskText(text).Should().Be(expected);

    [TestCase("Order 42 is closed")]
    [TestCase("https://example.com/orders?id=5")]
    [TestCase("Value cannot be null. (Parameter 'key')")]
    [TestCase("Error: the token bucket is empty")]
    public void Ordinary_text_is_left_alone(string text) => Masker().MaskText(text).Should().Be(text);

    [Test]
    public void Extra_patterns_mask_their_secret_group_or_whole_match()
    {
        var masker = Masker(@"card (?<secret>\d{4}-\d{4}-\d{4}-\d{4})", @"AKIA[0-9A-Z]{16}");

        masker.MaskText("charged card 4111-1111-1111-1111 ok").Should().Be("charged card [masked] ok");
        masker.MaskText("key AKIAABCDEFGHIJKLMNOP leaked").Should().Be("key [masked] leaked");
    }

    // The backtracking engine, not NonBacktracking: on .NET 10 the latter drops the second of these matches (a pattern
    // that starts with an optional part), and a missed match is a leaked secret.
    [Test]
    public void A_users_pattern_finds_every_match_and_runs_under_a_timeout()
    {
        const string pattern = @" ?sk_(?<secret>\w{4}) ?";

        SecretMasker.CompileUserPattern(pattern).MatchTimeout.Should().Be(TimeSpan.FromMilliseconds(500));
        Masker(pattern).MaskText(" ask_abcdsk_efgh").Should().NotContain("abcd").And.NotContain("efgh");
    }

    // The built-in patterns run without a timeout (a timeout measures wall-clock time, so a stalled thread would withhold
    // ordinary text): each is anchored so that its scan is linear.
    [Test]
    public void The_built_in_patterns_scan_hostile_text_in_linear_time()
    {
        // Ten times what a clipped value can be: a scan that went quadratic would take minutes here, not the bound.
        const int length = 100_000;
        string Repeat(string unit) => string.Concat(Enumerable.Repeat(unit, length / unit.Length));
        string[] hostile =
        [
            new string('a', length),
            "a" + new string(' ', length - 2) + "b",
            Repeat("a:"), Repeat("a "), Repeat("a.b-"), Repeat("\\u0022a\\u0022 "), Repeat("'a' "),
            Repeat("x://a:"), Repeat("x://" + "b"), "x://a:" + new string('b', length),
            Repeat("<a>"), Repeat("<a>b"), "<a>" + new string('b', length),
            Repeat("Bearer "), "Bearer " + new string(' ', length),
        ];
        var masker = Masker();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        foreach (var text in hostile)
        {
            masker.MaskUnparsed(text).Should().NotBeEmpty();
        }

        System.Diagnostics.Stopwatch.GetElapsedTime(started).Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void Turning_text_masking_off_leaves_text_as_it_is()
    {
        var masker = new SecretMasker(new KeyFragmentMaskingRule(["password"], Mask), Mask, maskText: false, []);

        masker.MaskText("Password=hunter2").Should().Be("Password=hunter2");
    }

    [Test]
    public void Masking_twice_changes_nothing_more()
    {
        var masker = Masker();
        var once = masker.MaskText("Password=hunter2; Authorization: Bearer abcdef123456");

        masker.MaskText(once).Should().Be(once);
    }
}
