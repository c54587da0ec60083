using ErrorTracking.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Tests.Configuration;

public sealed class OptionsValidationTests
{
    [Test]
    public void Recipients_without_a_sender_fail_at_start_naming_the_key()
    {
        FluentActions.Invoking(() => ErrorTracker.Init(o => o.RecipientEmails = ["dev@example.com"]))
            .Should().Throw<OptionsValidationException>()
            .WithMessage("*ErrorTracker:EmailSender is required when ErrorTracker:RecipientEmails is set*");
        ErrorTracker.Current.Should().BeNull("a tracker that failed validation is not installed");
    }

    [Test]
    public void Notifications_without_a_notifier_fail()
    {
        FluentActions.Invoking(() => ErrorTracker.Init(o => o.SendNotification = true))
            .Should().Throw<OptionsValidationException>().WithMessage("*ErrorTracker:SendNotification*no notifier*");
    }

    [Test]
    public void Every_wrong_key_is_named_in_one_message()
    {
        var failures = FluentActions.Invoking(() => ErrorTracker.Init(o =>
            {
                o.PageSize = 0;
                o.QueueCapacity = -1;
                o.UrlPrefix = "dev/error";
                o.MaskedValuePatterns.Add("([unclosed");
                o.ShutdownTimeout = TimeSpan.FromSeconds(-1);
            }))
            .Should().Throw<OptionsValidationException>().Which.Failures.ToList();

        failures.Should().HaveCount(5);
        failures.Should().Contain(f => f.StartsWith("ErrorTracker:PageSize must be at least 1 (was 0)", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("ErrorTracker:QueueCapacity", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("ErrorTracker:UrlPrefix must start with '/'", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("ErrorTracker:MaskedValuePatterns:0 is not a valid regular expression", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("ErrorTracker:ShutdownTimeout", StringComparison.Ordinal));
    }

    [Test]
    public void A_request_body_limit_past_16_MiB_is_refused()
    {
        FluentActions.Invoking(() => ErrorTracker.Init(o => o.MaxRequestBodyLength = int.MaxValue))
            .Should().Throw<OptionsValidationException>().WithMessage("*ErrorTracker:MaxRequestBodyLength must be at most 16777216*");
    }

    [Test]
    public void A_depth_past_what_the_stores_keep_is_refused()
    {
        FluentActions.Invoking(() => ErrorTracker.Init(o => o.MaxDepth = 301))
            .Should().Throw<OptionsValidationException>().WithMessage("*ErrorTracker:MaxDepth must be at most 300*");
    }

    [TestCase("/")]
    [TestCase("//")]
    public void A_dashboard_prefix_at_the_root_is_refused(string prefix)
    {
        FluentActions.Invoking(() => ErrorTracker.Init(o => o.UrlPrefix = prefix))
            .Should().Throw<OptionsValidationException>().WithMessage("*ErrorTracker:UrlPrefix must name a path below the root*");
    }

    [Test]
    public void The_defaults_are_valid_and_match_upstream()
    {
        var options = new ErrorTrackerOptions();

        options.MaskWith.Should().Be("**************");
        options.MaskedKeyHas.Should().Contain(["password", "secret"]);
        options.UrlPrefix.Should().Be("/dev/error");
        options.PageSize.Should().Be(10);
        options.SendNotification.Should().BeFalse();
        options.SubjectPrefix.Should().BeEmpty();
        options.MaxStringLength.Should().Be(10_000);
        options.MaxCollectionItems.Should().Be(1_000);
        options.MaxDepth.Should().Be(100);
        using var tracker = ErrorTracker.Init();
    }

    [Test]
    public void In_a_service_provider_invalid_options_fail_when_the_tracker_is_resolved()
    {
        var services = new ServiceCollection();
        services.AddErrorTracker(o => o.BatchSize = 0);
        using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IErrorTracker>())
            .Should().Throw<OptionsValidationException>().WithMessage("*ErrorTracker:BatchSize must be at least 1*");
    }

    [Test]
    public void A_registered_notifier_satisfies_send_notification()
    {
        var services = new ServiceCollection();
        services.AddErrorTracker(o => o.SendNotification = true).AddNotifier<Support.CollectingNotifier>();
        using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IErrorTracker>()).Should().NotThrow();
    }
}
