using System.Text;

namespace ErrorTracking.Testing.Secrets;

/// <summary>One real-world secret format and a maker of fresh samples of it.</summary>
/// <param name="Format">What the secret is, for messages.</param>
/// <param name="Make">Makes a new sample: random where the format is random, with a valid checksum where it has one.</param>
public sealed record SecretFormat(string Format, Func<SecretCorpus, string> Make);

/// <summary>
/// Samples of real-world secret formats, made at run time (so no secret is in any source file the source context
/// could show), from the vendors' documented shapes: prefixes, lengths, alphabets, checksums. Seeded, so a failure
/// repeats; every sample is new, so each place a test plants one in has its own canary.
/// </summary>
public sealed class SecretCorpus(int seed)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Alnum = Upper + Lower + Digits;
    private const string Base64Url = Alnum + "-_";
    private const string HexLower = "0123456789abcdef";
    private readonly Random _random = new(seed);

    /// <summary>The formats; at least 40.</summary>
    public static IReadOnlyList<SecretFormat> Formats { get; } =
    [
        new("AWS access key id", c => "AKIA" + c.Of(Upper + "234567", 16)),
        new("AWS secret access key", c => c.Base64Bytes(30)),
        new("GitHub classic token", c => "ghp_" + c.Of(Alnum, 36)),
        new("GitHub OAuth token", c => "gho_" + c.Of(Alnum, 36)),
        new("GitHub fine-grained token", c => "github_pat_" + c.Of(Alnum, 22) + "_" + c.Of(Alnum, 59)),
        new("GitLab personal token", c => "glpat-" + c.Of(Base64Url, 20)),
        new("GitLab runner token", c => "glrt-" + c.Of(Base64Url, 20)),
        new("Slack bot token", c => "xoxb-" + c.Of(Digits, 12) + "-" + c.Of(Digits, 13) + "-" + c.Of(Alnum, 24)),
        new("Slack user token", c => "xoxp-" + c.Of(Digits, 12) + "-" + c.Of(Digits, 12) + "-" + c.Of(Digits, 13) + "-" + c.Of(HexLower, 32)),
        new("Slack webhook URL", c => "https://hooks.slack.com/services/T" + c.Of(Upper + Digits, 8) + "/B" + c.Of(Upper + Digits, 10) + "/" + c.Of(Alnum, 24)),
        new("Discord webhook URL", c => "https://discord.com/api/webhooks/" + c.Of(Digits, 18) + "/" + c.Of(Base64Url, 68)),
        new("Stripe secret key", c => "sk_live_" + c.Of(Alnum, 24)),
        new("Stripe restricted key", c => "rk_live_" + c.Of(Alnum, 24)),
        new("Google API key", c => "AIza" + c.Of(Base64Url, 35)),
        new("Google OAuth client secret", c => "GOCSPX-" + c.Of(Base64Url, 28)),
        new("Azure SAS URL", c => "https://shop.blob.core.windows.net/files/a.pdf?sv=2022-11-02&sr=b&sp=r&se=2026-01-01T00%3A00%3A00Z&sig=" + Uri.EscapeDataString(c.Base64Bytes(32))),
        new("Azure storage account key", c => c.Base64Bytes(64)),
        new("Azure AD client secret", c => c.Of(Alnum, 3) + c.Of(Digits, 1) + "Q~" + c.Of(Alnum + "_~.-", 34)),
        new("SendGrid API key", c => "SG." + c.Of(Base64Url, 22) + "." + c.Of(Base64Url, 43)),
        new("Twilio API key", c => "SK" + c.Of(HexLower, 32)),
        new("npm token", c => "npm_" + c.Of(Alnum, 36)),
        new("PyPI token", c => "pypi-AgEIcHlwaS5vcmc" + c.Of(Base64Url, 70)),
        new("OpenAI project key", c => "sk-proj-" + c.Of(Base64Url, 74) + "T3BlbkFJ" + c.Of(Base64Url, 74)),
        new("OpenAI legacy key", c => "sk-" + c.Of(Alnum, 20) + "T3BlbkFJ" + c.Of(Alnum, 20)),
        new("Anthropic API key", c => "sk-ant-api03-" + c.Of(Base64Url, 93) + "AA"),
        new("JSON Web Token", c => c.Jwt()),
        new("PEM RSA private key", c => c.Pem("RSA PRIVATE KEY")),
        new("OpenSSH private key", c => c.Pem("OPENSSH PRIVATE KEY")),
        new("Vault service token", c => "hvs." + c.Of(Base64Url, 90)),
        new("DigitalOcean token", c => "dop_v1_" + c.Of(HexLower, 64)),
        new("Hugging Face token", c => "hf_" + c.Of(Upper + Lower, 34)),
        new("Shopify access token", c => "shpat_" + c.Of(HexLower, 32)),
        new("Telegram bot token", c => c.Of("123456789", 1) + c.Of(Digits, 9) + ":AA" + c.Of(Base64Url, 33)),
        new("Mailgun API key", c => "key-" + c.Of(HexLower, 32)),
        new("Mailchimp API key", c => c.Of(HexLower, 32) + "-us" + c.Of("123456789", 1) + c.Of(Digits, 1)),
        new("Postman API key", c => "PMAK-" + c.Of(HexLower, 24) + "-" + c.Of(HexLower, 34)),
        new("Databricks token", c => "dapi" + c.Of(HexLower, 32)),
        new("Linear API key", c => "lin_api_" + c.Of(Alnum, 40)),
        new("New Relic user key", c => "NRAK-" + c.Of(Upper + Digits, 27)),
        new("Grafana service account token", c => "glsa_" + c.Of(Alnum, 32) + "_" + c.Of(HexLower, 8)),
        new("Sentry org token", c => "sntrys_" + c.Of(Alnum, 80)),
        new("age secret key", c => "AGE-SECRET-KEY-1" + c.Of("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
        new("Doppler token", c => "dp.pt." + c.Of(Alnum, 43)),
        new("Square access token", c => "sq0atp-" + c.Of(Base64Url, 22)),
        new("Visa card number", c => c.Card("4", 16, " ")),
        new("Mastercard number", c => c.Card("5" + c.Of("12345", 1), 16, "")),
        new("American Express number", c => c.Card("3" + c.Of("47", 1), 15, "-")),
        new("German IBAN", c => c.Iban("DE", 18, grouped: false)),
        new("British IBAN", c => c.Iban("GB", 18, grouped: true)),
        new("US social security number", c => c.Of("12345678", 1) + c.Of(Digits, 2) + "-" + c.Of("123456789", 1) + c.Of(Digits, 1) + "-" + c.Of("123456789", 1) + c.Of(Digits, 3)),
    ];

    /// <summary>Random characters of <paramref name="alphabet"/>.</summary>
    public string Of(string alphabet, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>Base64 of random bytes, as cloud keys are.</summary>
    public string Base64Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    private string Jwt()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Encode($"{{\"sub\":\"{Of(Digits, 10)}\",\"name\":\"{Of(Lower, 8)}\",\"iat\":1700000000}}") + "." + Of(Base64Url, 43);
    }

    private string Pem(string label)
    {
        var body = string.Join("\n", Enumerable.Range(0, 6).Select(_ => Base64Bytes(48)));
        return $"-----BEGIN {label}-----\n{body}\n-----END {label}-----";
    }

    private string Card(string prefix, int length, string separator)
    {
        var digits = prefix + Of(Digits, length - prefix.Length - 1);
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            sum += i % 2 == 0 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit;
        }

        var number = digits + (char)('0' + (10 - sum % 10) % 10);
        var groups = length == 15 ? new[] { number[..4], number[4..10], number[10..] } : number.Chunk(4).Select(g => new string(g)).ToArray();
        return string.Join(separator, groups);
    }

    private string Iban(string country, int bbanLength, bool grouped)
    {
        var bban = country == "GB" ? Of(Upper, 4) + Of(Digits, bbanLength - 4) : Of(Digits, bbanLength);
        var remainder = 0;
        foreach (var c in bban + country + "00")
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }

        var iban = $"{country}{98 - remainder:00}{bban}";
        return grouped ? string.Join(" ", iban.Chunk(4).Select(g => new string(g))) : iban;
    }
}
