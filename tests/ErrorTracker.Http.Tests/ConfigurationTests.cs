using ErrorTracking.Http.Tests.Support;
using ErrorTracking.Notification;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ErrorTracking.Testing;

namespace ErrorTracking.Http.Tests;

public sealed class ConfigurationTests
{
    private const string Token = "ghp_ConfiguredTokenThatMustNotBeQuoted01";

    [TestCase("")]
    [TestCase("ErrorTracker")]
    [TestCase("ErrorTracker:Webhook")]
    public void The_webhook_notifier_binds_its_section_given_the_root_the_tracker_section_or_its_own(string passed)
    {
        var configuration = Configuration(new()
        {
            ["ErrorTracker:Webhook:Url"] = "https://hooks.example.com/T1/B2/secret",
            ["ErrorTracker:Webhook:Format"] = "Slack",
            ["ErrorTracker:Webhook:Headers:X-Webhook-Secret"] = "s3cr3t",
            ["ErrorTracker:Webhook:Timeout"] = "00:00:03",
        });
        var section = passed.Length == 0 ? configuration : configuration.GetSection(passed);
        using var services = Samples.Services(tracker => tracker.AddWebhookNotifier(section));

        var options = services.GetRequiredService<IOptions<WebhookNotifierOptions>>().Value;

        options.Url.Should().Be(new Uri("https://hooks.example.com/T1/B2/secret"));
        options.Format.Should().Be(WebhookFormat.Slack);
        options.Headers.Should().Equal(new Dictionary<string, string> { ["X-Webhook-Secret"] = "s3cr3t" });
        options.Timeout.Should().Be(TimeSpan.FromSeconds(3));
        services.GetServices<INotifier>().Should().ContainSingle().Which.Should().BeOfType<WebhookNotifier>();
        services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookNotifier.HttpClientName).Timeout.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Test]
    public void GitHub_ticketing_binds_its_section_with_defaults_and_labels_as_a_list_or_one_comma_separated_string()
    {
        var asList = Configuration(new()
        {
            ["ErrorTracker:GitHub:Owner"] = "acme",
            ["ErrorTracker:GitHub:Repository"] = "shop",
            ["ErrorTracker:GitHub:Token"] = Token,
            ["ErrorTracker:GitHub:Labels:0"] = "bug",
            ["ErrorTracker:GitHub:Labels:1"] = "prod",
        });
        var asText = Configuration(new()
        {
            ["ErrorTracker:GitHub:Owner"] = "acme",
            ["ErrorTracker:GitHub:Repository"] = "shop",
            ["ErrorTracker:GitHub:Token"] = Token,
            ["ErrorTracker:GitHub:Labels"] = "bug, prod",
            ["ErrorTracker:GitHub:BaseUrl"] = "https://git.example.com/api/v1",
            ["ErrorTracker:GitHub:Timeout"] = "00:00:30",
        });

        using var fromList = Samples.Services(tracker => tracker.AddGitHubTicketing(asList));
        using var fromText = Samples.Services(tracker => tracker.AddGitHubTicketing(asText));

        var list = fromList.GetRequiredService<IOptions<GitHubTicketingOptions>>().Value;
        list.BaseUrl.Should().Be(new Uri("https://api.github.com"));
        list.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        list.Labels.Should().Equal("bug", "prod");
        var text = fromText.GetRequiredService<IOptions<GitHubTicketingOptions>>().Value;
        text.Labels.Should().Equal("bug", "prod");
        text.BaseUrl.Should().Be(new Uri("https://git.example.com/api/v1"));
        text.Timeout.Should().Be(TimeSpan.FromSeconds(30));
        fromText.GetServices<ITicketing>().Should().ContainSingle().Which.Name.Should().Be("github");
    }

    [Test]
    public void Webhook_ticketing_binds_its_section()
    {
        var configuration = Configuration(new()
        {
            ["ErrorTracker:WebhookTicketing:CreateUrl"] = "https://tickets.example.com/api/tickets",
            ["ErrorTracker:WebhookTicketing:UpdateUrl"] = "https://tickets.example.com/api/tickets/{reference}/comments",
            ["ErrorTracker:WebhookTicketing:ReferenceProperty"] = "ticket.key",
            ["ErrorTracker:WebhookTicketing:Headers:Authorization"] = "Token abc",
        });
        using var services = Samples.Services(tracker => tracker.AddWebhookTicketing(configuration));

        var options = services.GetRequiredService<IOptions<WebhookTicketingOptions>>().Value;

        options.CreateUrl.Should().Be(new Uri("https://tickets.example.com/api/tickets"));
        options.UpdateUrl.Should().Be("https://tickets.example.com/api/tickets/{reference}/comments");
        options.ReferenceProperty.Should().Be("ticket.key");
        options.Headers["Authorization"].Should().Be("Token abc");
        options.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        services.GetServices<ITicketing>().Should().ContainSingle().Which.Name.Should().Be("webhook");
    }

    [Test]
    public void Registering_twice_adds_one_notifier_and_one_client_configuration_and_applies_both_settings()
    {
        var logs = new CapturedLogs();
        using var services = Samples.Services(
            tracker => tracker
                .AddWebhookNotifier(options => options.Url = new Uri("https://hooks.example.com/a"))
                .AddWebhookNotifier(options => options.Timeout = TimeSpan.FromSeconds(2)),
            logs);

        services.GetServices<INotifier>().Should().ContainSingle();
        services.GetServices<IValidateOptions<WebhookNotifierOptions>>().Should().ContainSingle();
        var options = services.GetRequiredService<IOptions<WebhookNotifierOptions>>().Value;
        options.Url.Should().Be(new Uri("https://hooks.example.com/a"));
        options.Timeout.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Test]
    public void Webhook_notifier_validation_names_every_wrong_key_and_quotes_no_value()
    {
        var failure = Invalid<WebhookNotifierOptions>(tracker => tracker.AddWebhookNotifier(options =>
        {
            options.Url = new Uri("ftp://user:pw-secret@hooks.example.com/secret-path");
            options.Format = (WebhookFormat)7;
            options.Headers["Content-Type"] = "text/plain";
            options.Headers["X-Secret"] = "line\nbreak-secret";
            options.Timeout = TimeSpan.Zero;
        }));

        failure.Failures.Should().BeEquivalentTo(
            "ErrorTracker:Webhook:Url must be an absolute http or https address (its scheme is 'ftp').",
            "ErrorTracker:Webhook:Format must be Json or Slack (was 7).",
            "ErrorTracker:Webhook:Headers:Content-Type is not a request header that can be set (content headers such as Content-Type are set by the integration).",
            "ErrorTracker:Webhook:Headers:X-Secret must have a value on one line.",
            "ErrorTracker:Webhook:Timeout must be longer than zero and shorter than 24 days (was 00:00:00).");
        failure.Message.Should().NotContain("secret-path").And.NotContain("pw-secret").And.NotContain("break-secret");
    }

    [TestCase(null, "ErrorTracker:Webhook:Url is required: an absolute http or https address.")]
    [TestCase("hooks/relative", "ErrorTracker:Webhook:Url must be an absolute http or https address (it is relative).")]
    [TestCase("https://user:pw@hooks.example.com/x", "ErrorTracker:Webhook:Url must not carry credentials in the address; send them in a header instead.")]
    public void Webhook_url_validation(string? url, string expected)
    {
        var failure = Invalid<WebhookNotifierOptions>(tracker => tracker.AddWebhookNotifier(options =>
            options.Url = url is null ? null : new Uri(url, UriKind.RelativeOrAbsolute)));

        failure.Failures.Should().Equal(expected);
    }

    [Test]
    public void GitHub_validation_names_every_missing_key_and_never_quotes_the_token()
    {
        var missing = Invalid<GitHubTicketingOptions>(tracker => tracker.AddGitHubTicketing(options => options.Labels = ["bug", " "]));
        var spaced = Invalid<GitHubTicketingOptions>(tracker => tracker.AddGitHubTicketing(options =>
        {
            options.Owner = "acme";
            options.Repository = "shop";
            options.Token = "Bearer " + Token;
        }));

        missing.Failures.Should().BeEquivalentTo(
            "ErrorTracker:GitHub:Owner is required.",
            "ErrorTracker:GitHub:Repository is required.",
            "ErrorTracker:GitHub:Token is required: a token allowed to write the repository's issues.",
            "ErrorTracker:GitHub:Labels must not hold an empty label.");
        spaced.Failures.Should().Equal("ErrorTracker:GitHub:Token must be the token alone, without spaces or a scheme such as 'Bearer'.");
        spaced.Message.Should().NotContain(Token);
    }

    [Test]
    public void Webhook_ticketing_validation_names_every_wrong_key()
    {
        var missing = Invalid<WebhookTicketingOptions>(tracker => tracker.AddWebhookTicketing(options => options.ReferenceProperty = "ticket..id"));
        var noPlaceholder = Invalid<WebhookTicketingOptions>(tracker => tracker.AddWebhookTicketing(options =>
        {
            options.CreateUrl = new Uri("https://tickets.example.com/api/tickets");
            options.UpdateUrl = "https://tickets.example.com/api/tickets/comments";
        }));
        var relative = Invalid<WebhookTicketingOptions>(tracker => tracker.AddWebhookTicketing(options =>
        {
            options.CreateUrl = new Uri("https://tickets.example.com/api/tickets");
            options.UpdateUrl = "/api/tickets/{reference}";
        }));

        missing.Failures.Should().BeEquivalentTo(
            "ErrorTracker:WebhookTicketing:CreateUrl is required: an absolute http or https address.",
            "ErrorTracker:WebhookTicketing:UpdateUrl is required: the address a recurrence is POSTed to, with {reference} where the ticket's reference goes.",
            "ErrorTracker:WebhookTicketing:ReferenceProperty must name a property, or a dotted path to one such as ticket.id (was 'ticket..id').");
        noPlaceholder.Failures.Should().Equal("ErrorTracker:WebhookTicketing:UpdateUrl must contain {reference} where the ticket's reference goes.");
        relative.Failures.Should().ContainSingle().Which.Should().StartWith("ErrorTracker:WebhookTicketing:UpdateUrl must be an absolute http or https address");
    }

    [Test]
    public async Task A_host_refuses_to_start_with_invalid_options()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ErrorTracker:GitHub:Owner"] = "acme",
            ["ErrorTracker:GitHub:Token"] = Token,
        });
        builder.Services.AddErrorTracker().AddGitHubTicketing(builder.Configuration);
        using var host = builder.Build();

        var failure = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();

        failure.Which.Message.Should().Contain("ErrorTracker:GitHub:Repository is required.").And.NotContain(Token);
    }

    [Test]
    public async Task A_host_refuses_to_start_with_an_invalid_webhook_notifier()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ErrorTracker:Webhook:Url"] = "hooks/relative" });
        builder.Services.AddErrorTracker(options => options.SendNotification = true).AddWebhookNotifier(builder.Configuration);
        using var host = builder.Build();

        var failure = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();

        failure.Which.Message.Should().Contain("ErrorTracker:Webhook:Url must be an absolute http or https address (it is relative).");
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static OptionsValidationException Invalid<TOptions>(Action<IErrorTrackerBuilder> add)
        where TOptions : class
    {
        using var services = Samples.Services(add);
        return FluentActions.Invoking(() => services.GetRequiredService<IOptions<TOptions>>().Value)
            .Should().Throw<OptionsValidationException>().Which;
    }
}
