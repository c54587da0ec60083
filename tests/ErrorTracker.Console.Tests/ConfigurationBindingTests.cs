using ErrorTracking.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Hosting.Tests;

public sealed class ConfigurationBindingTests
{
    private static ErrorTrackerOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddErrorTracker(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ErrorTrackerOptions>>().Value;
    }

    [Test]
    public void Options_bind_from_the_ErrorTracker_section_with_upstream_meanings()
    {
        var options = Bind(new()
        {
            ["ErrorTracker:SendNotification"] = "false",
            ["ErrorTracker:RecipientEmails"] = "dev@example.com",
            ["ErrorTracker:EmailSender"] = "errors@example.com",
            ["ErrorTracker:SubjectPrefix"] = "Server Error",
            ["ErrorTracker:MaskWith"] = "###@@@@@###",
            ["ErrorTracker:MaskedKeyHas:0"] = "secret",
            ["ErrorTracker:MaskedKeyHas:1"] = "card",
            ["ErrorTracker:UrlPrefix"] = "/ops/errors",
            ["ErrorTracker:PageSize"] = "25",
            ["ErrorTracker:QueueFullMode"] = "DropOldest",
            ["ErrorTracker:ShutdownTimeout"] = "00:00:09",
        });

        options.RecipientEmails.Should().Equal("dev@example.com");
        options.EmailSender.Should().Be("errors@example.com");
        options.SubjectPrefix.Should().Be("Server Error");
        options.MaskWith.Should().Be("###@@@@@###");
        options.MaskedKeyHas.Should().Equal(["secret", "card"], "a configured list replaces the defaults");
        options.UrlPrefix.Should().Be("/ops/errors");
        options.PageSize.Should().Be(25);
        options.QueueFullMode.Should().Be(QueueFullMode.DropOldest);
        options.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(9));
    }

    [Test]
    public void An_empty_masked_key_list_turns_masking_by_name_off()
    {
        Bind(new() { ["ErrorTracker:MaskedKeyHas"] = "" }).MaskedKeyHas.Should().BeEmpty();
        Bind(new() { ["ErrorTracker:PageSize"] = "5" }).MaskedKeyHas.Should().Equal(ErrorTrackerOptions.DefaultMaskedKeys);
    }

    [Test]
    public void The_section_itself_can_be_passed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ErrorTracker:PageSize"] = "7",
        }).Build();
        var services = new ServiceCollection();
        services.AddErrorTracker(configuration.GetSection("ErrorTracker"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<ErrorTrackerOptions>>().Value.PageSize.Should().Be(7);
    }

    [Test]
    public async Task A_host_with_invalid_configuration_fails_at_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ErrorTracker:RecipientEmails:0"] = "dev@example.com",
            ["ErrorTracker:PageSize"] = "0",
        });
        builder.Services.AddErrorTracker(builder.Configuration.GetSection("ErrorTracker"));
        using var host = builder.Build();

        var failure = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();
        failure.Which.Failures.Should().Contain(f => f.Contains("ErrorTracker:EmailSender", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("ErrorTracker:PageSize", StringComparison.Ordinal));
    }

    [Test]
    public async Task Additional_masked_keys_add_to_the_defaults_instead_of_replacing_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ErrorTracker:AdditionalMaskedKeys:0"] = "card",
        }).Build();
        var services = new ServiceCollection();
        services.AddErrorTracker(configuration);
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ErrorTrackerOptions>>().Value;
        options.MaskedKeyHas.Should().Equal(ErrorTrackerOptions.DefaultMaskedKeys);
        options.AdditionalMaskedKeys.Should().Equal("card");

        var tracker = provider.GetRequiredService<IErrorTracker>();
        var hash = tracker.RecordException(new InvalidOperationException("declined"),
            new { card = new { number = "4111 1111 1111 1111" }, password = "hunter2", currency = "EUR" });
        (await tracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        var occurrence = (await provider.GetRequiredService<ErrorTracking.Storage.IErrorStore>().GetAsync(hash!, CancellationToken.None))!.FirstOccurrence;
        var variables = occurrence.Exception.Frames.SelectMany(f => f.Variables).ToDictionary(v => v.Name, v => v.Value);
        variables["card"].Kind.Should().Be(ErrorTracking.Records.RecordedValueKind.Masked, "an additional key masks");
        variables["password"].Kind.Should().Be(ErrorTracking.Records.RecordedValueKind.Masked, "the defaults still mask");
        variables["currency"].Text.Should().Be("EUR");
    }

    [Test]
    public void A_status_code_that_is_not_a_number_fails_naming_the_key()
    {
        FluentActions.Invoking(() => Bind(new() { ["ErrorTracker:TrackedStatusCodes:0"] = "404", ["ErrorTracker:TrackedStatusCodes:1"] = "teapot" }))
            .Should().Throw<InvalidOperationException>().WithMessage("ErrorTracker:TrackedStatusCodes must list HTTP status codes; 'teapot' is not a number.");
    }
}
