using System.Text.RegularExpressions;

namespace ErrorTracking.Masking;

/// <summary>
/// The table of secret formats found by their shape. Formats are the vendors' documented token shapes, as secret
/// scanners know them; each pattern is anchored by a literal prefix or a delimiter and has bounded repeats, so a scan
/// is linear in the text's length, and each prefix is a hint, so text without one skips the pattern.
/// </summary>
internal static partial class BuiltInSecretDetectors
{
    // A token never starts or ends inside a longer word; it may follow a slash (a URL's path) or a dash.
    private const string TokenStart = @"(?<![A-Za-z0-9_])";
    private const string TokenEnd = @"(?![A-Za-z0-9_\-])";

    public static IReadOnlyList<SecretDetector> All { get; } =
    [
        // Keys whose header carries the whole key: from BEGIN to END, or to the end of a cut text.
        Make("private-key", PrivateKey(), "BEGIN"),
        Make("jwt", Jwt(), SecretValidators.IsJwt, "eyJ"),
        Make("aws-access-key-id", AwsAccessKeyId(), "AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        Make("github-token", GitHubToken(), "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        Make("gitlab-token", GitLabToken(), "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glsoat-", "glft-", "glimt-", "glagent-", "gloas-", "GR1348941"),
        Make("slack-webhook", SlackWebhook(), "hooks.slack.com"),
        Make("slack-token", SlackToken(), "xox", "xapp-"),
        Make("discord-webhook", DiscordWebhook(), "discord"),
        Make("teams-webhook", TeamsWebhook(), "webhook.office.com"),
        Make("stripe-key", StripeKey(), "sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_", "whsec_"),
        Make("google-api-key", GoogleApiKey(), "AIza"),
        Make("google-oauth-secret", GoogleOAuthSecret(), "GOCSPX-"),
        Make("google-oauth-token", GoogleOAuthToken(), "ya29."),
        Make("azure-sas-signature", AzureSasSignature(), "sig="),
        Inside("azure-ad-client-secret", AzureAdClientSecret(), null, "Q~"),
        Make("sendgrid-key", SendGridKey(), "SG."),
        Make("twilio-key", TwilioKey(), "SK", "AC"),
        Make("npm-token", NpmToken(), "npm_"),
        Make("pypi-token", PyPiToken(), "pypi-AgE"),
        Make("anthropic-key", AnthropicKey(), "sk-ant-"),
        Make("openai-key", OpenAiKey(), SecretValidators.HasDigit, "sk-"),
        Make("vault-token", VaultToken(), "hvs.", "hvb.", "hvr."),
        Make("digitalocean-token", DigitalOceanToken(), "dop_v1_", "doo_v1_", "dor_v1_"),
        Make("huggingface-token", HuggingFaceToken(), "hf_", "api_org_"),
        Make("shopify-token", ShopifyToken(), "shpat_", "shpca_", "shppa_", "shpss_"),
        Inside("telegram-bot-token", TelegramBotToken(), SecretValidators.IsMixedToken, ":A"),
        Make("mailgun-key", MailgunKey(), "key-", "pubkey-"),
        Inside("mailchimp-key", MailchimpKey(), null, "-us"),
        Make("postman-key", PostmanKey(), "PMAK-"),
        Make("databricks-token", DatabricksToken(), "dapi"),
        Make("linear-key", LinearKey(), "lin_api_"),
        Make("newrelic-key", NewRelicKey(), "NRAK-", "NRJS-", "NRII-"),
        Make("grafana-token", GrafanaToken(), "glc_", "glsa_"),
        Make("sentry-token", SentryToken(), "sntrys_", "sntryu_"),
        Make("age-secret-key", AgeSecretKey(), "AGE-SECRET-KEY-1"),
        Make("doppler-token", DopplerToken(), "dp."),
        Make("pulumi-token", PulumiToken(), "pul-"),
        Make("square-token", SquareToken(), "sq0atp-", "sq0csp-", "EAAA"),
        Make("atlassian-token", AtlassianToken(), "ATATT3"),
        Make("dropbox-token", DropboxToken(), "sl."),
        Make("firebase-messaging-key", FirebaseMessagingKey(), "AAAA"),
        Make("heroku-key", HerokuKey(), "HRKU-"),
        // Bare keys with no prefix: a length, an alphabet, and a validator that tells random bytes from encoded text.
        Gated("aws-secret-access-key", AwsSecretAccessKey(), SecretValidators.IsRandomBase64, text => text.Base64Run >= 40),
        Gated("azure-storage-key", AzureStorageKey(), SecretValidators.IsRandomBase64, text => text.Base64Run >= 86),
        Gated("mailgun-signing-key", MailgunSigningKey(), validator: null, text => text.HexRun >= 32),
        // Numbers with a checksum.
        Gated("payment-card", PaymentCard(), SecretValidators.IsPaymentCard, text => text.DigitRun >= 13),
        Gated("iban", Iban(), SecretValidators.IsIban, text => text.CountryCodeThenDigits),
        Gated("us-ssn", UsSocialSecurityNumber(), validator: null, text => text.DigitRun >= 9),
    ];

    /// <summary>The names of <see cref="All"/>, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(detector => detector.Name).ToArray();

    private static SecretDetector Make(string name, Regex pattern, params string[] hints) => Make(name, pattern, null, hints);

    // Each of these hints is where a token starts (after a character that is no letter, digit or underscore: a space, a
    // quote, '=', '/', '.', '-'), so only token starts are looked at.
    private static SecretDetector Make(string name, Regex pattern, Func<string, bool>? validator, params string[] hints) =>
        new(name, pattern, validator, hints, new DetectorGate(HintsAtTokenStart: true));

    // Hints that sit inside a token (Azure AD's "Q~", Telegram's ":A", Mailchimp's "-us"), looked for anywhere.
    private static SecretDetector Inside(string name, Regex pattern, Func<string, bool>? validator, string hint) =>
        new(name, pattern, validator, [hint], default);

    private static SecretDetector Gated(string name, Regex pattern, Func<string, bool>? validator, Func<TextSurvey, bool> admits) =>
        new(name, pattern, validator, [], new DetectorGate(admits));

    // The body excludes a run of five dashes, so it stops at the END line (or at text that is no key) without backtracking.
    [GeneratedRegex(@"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----))*(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(TokenStart + @"eyJ[A-Za-z0-9_\-]{5,4000}\.[A-Za-z0-9_\-]{2,20000}\.[A-Za-z0-9_\-]{0,4000}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(TokenStart + @"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(TokenStart + @"(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(TokenStart + @"(?:gl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|agent|oas)-[A-Za-z0-9_\-]{20,200}|GR1348941[A-Za-z0-9_\-]{20,200})" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex GitLabToken();

    [GeneratedRegex(@"hooks\.slack\.com/(?:services|workflows|triggers)/(?<secret>[A-Za-z0-9_/\-]{20,300})", RegexOptions.CultureInvariant)]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(TokenStart + @"(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[A-Za-z0-9\-]{10,300}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"discord(?:app)?\.com/api/webhooks/(?<secret>[0-9]{5,30}/[A-Za-z0-9_\-]{20,200})", RegexOptions.CultureInvariant)]
    private static partial Regex DiscordWebhook();

    [GeneratedRegex(@"webhook\.office\.com/(?<secret>webhookb2/[A-Za-z0-9@/_\-]{20,400})", RegexOptions.CultureInvariant)]
    private static partial Regex TeamsWebhook();

    [GeneratedRegex(TokenStart + @"(?:(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,247}|whsec_[A-Za-z0-9+/=]{20,200})" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex StripeKey();

    [GeneratedRegex(TokenStart + @"AIza[A-Za-z0-9_\-]{35}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(TokenStart + @"GOCSPX-[A-Za-z0-9_\-]{24,40}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex GoogleOAuthSecret();

    [GeneratedRegex(TokenStart + @"ya29\.[A-Za-z0-9_\-]{20,2000}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex GoogleOAuthToken();

    [GeneratedRegex(@"(?<=[?&;\s]|^)sig=(?<secret>[A-Za-z0-9%+/=]{16,200})", RegexOptions.CultureInvariant)]
    private static partial Regex AzureSasSignature();

    [GeneratedRegex(TokenStart + @"[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~.\-])", RegexOptions.CultureInvariant)]
    private static partial Regex AzureAdClientSecret();

    [GeneratedRegex(TokenStart + @"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex SendGridKey();

    [GeneratedRegex(TokenStart + @"(?:SK|AC)[0-9a-f]{32}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex TwilioKey();

    [GeneratedRegex(TokenStart + @"npm_[A-Za-z0-9]{36}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex NpmToken();

    [GeneratedRegex(TokenStart + @"pypi-AgE[A-Za-z0-9_\-]{50,300}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex PyPiToken();

    [GeneratedRegex(TokenStart + @"sk-ant-[a-z]{2,10}[0-9]{0,4}-[A-Za-z0-9_\-]{20,300}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(TokenStart + @"sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,300}|[A-Za-z0-9_\-]{0,100}T3BlbkFJ[A-Za-z0-9_\-]{10,200}|[A-Za-z0-9]{32,64})" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(TokenStart + @"hv[sbr]\.[A-Za-z0-9_\-]{24,300}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex VaultToken();

    [GeneratedRegex(TokenStart + @"do[por]_v1_[a-f0-9]{64}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex DigitalOceanToken();

    [GeneratedRegex(TokenStart + @"(?:hf_|api_org_)[A-Za-z0-9]{30,40}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex HuggingFaceToken();

    [GeneratedRegex(TokenStart + @"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex ShopifyToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])[0-9]{5,16}:A[A-Za-z0-9_\-]{34}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex TelegramBotToken();

    [GeneratedRegex(TokenStart + @"(?:pub)?key-[0-9a-f]{32}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex MailgunKey();

    [GeneratedRegex(TokenStart + @"[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex MailgunSigningKey();

    [GeneratedRegex(TokenStart + @"[0-9a-f]{32}-us[0-9]{1,2}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex MailchimpKey();

    [GeneratedRegex(TokenStart + @"PMAK-[a-f0-9]{24}-[a-f0-9]{34}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex PostmanKey();

    [GeneratedRegex(TokenStart + @"dapi[a-f0-9]{32}(?:-[0-9])?" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex DatabricksToken();

    [GeneratedRegex(TokenStart + @"lin_api_[A-Za-z0-9]{40}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex LinearKey();

    [GeneratedRegex(TokenStart + @"NR(?:AK|JS|II)-[A-Za-z0-9]{19,32}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex NewRelicKey();

    [GeneratedRegex(TokenStart + @"(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex GrafanaToken();

    [GeneratedRegex(TokenStart + @"(?:sntrys_[A-Za-z0-9+/=_]{40,400}|sntryu_[a-f0-9]{64})" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex SentryToken();

    [GeneratedRegex(TokenStart + @"AGE-SECRET-KEY-1[0-9A-Z]{58}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex AgeSecretKey();

    [GeneratedRegex(TokenStart + @"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex DopplerToken();

    [GeneratedRegex(TokenStart + @"pul-[a-f0-9]{40}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex PulumiToken();

    [GeneratedRegex(TokenStart + @"(?:sq0atp-[A-Za-z0-9_\-]{22,60}|sq0csp-[A-Za-z0-9_\-]{40,60}|EAAA[A-Za-z0-9_\-]{60,100})" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex SquareToken();

    [GeneratedRegex(TokenStart + @"ATATT3[A-Za-z0-9_\-=]{100,300}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex AtlassianToken();

    [GeneratedRegex(TokenStart + @"sl\.[A-Za-z0-9_\-]{130,1400}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex DropboxToken();

    [GeneratedRegex(TokenStart + @"AAAA[A-Za-z0-9_\-]{7}:[A-Za-z0-9_\-]{140}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex FirebaseMessagingKey();

    [GeneratedRegex(TokenStart + @"HRKU-[A-Za-z0-9_\-]{40,80}" + TokenEnd, RegexOptions.CultureInvariant)]
    private static partial Regex HerokuKey();

    // As written, or percent-encoded in a URL, where a raw '/' separates path segments and %2F is part of the key.
    [GeneratedRegex(@"(?<![A-Za-z0-9/+=_%\-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_%\-])|(?<![A-Za-z0-9+=_%\-])(?:[A-Za-z0-9+]|%2[BbFf]){40}(?![A-Za-z0-9+=_%\-])", RegexOptions.CultureInvariant)]
    private static partial Regex AwsSecretAccessKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9/+=_%\-])[A-Za-z0-9/+]{86}==(?![A-Za-z0-9/+=_%\-])|(?<![A-Za-z0-9+=_%\-])(?:[A-Za-z0-9+]|%2[BbFf]){86}(?:==|%3[Dd]%3[Dd])(?![A-Za-z0-9+=_%\-])", RegexOptions.CultureInvariant)]
    private static partial Regex AzureStorageKey();

    // 13 to 19 digits, in groups separated by single spaces or dashes or not at all, not part of a longer number or word.
    [GeneratedRegex(@"(?<![A-Za-z0-9_.,+\-])[0-9](?:[ \-]?[0-9]){12,18}(?![A-Za-z0-9_]|[ \-]?[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PaymentCard();

    // The compact form, or the printed one in groups of four.
    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?!000|666|9[0-9]{2})[0-9]{3}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}(?![A-Za-z0-9_]|-[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex UsSocialSecurityNumber();
}
