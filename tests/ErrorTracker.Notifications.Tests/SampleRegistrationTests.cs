using ErrorTracking.Notifications.Smtp;
using ErrorTracking.Notifications.Tests.Support;
using ErrorTracking.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ErrorTracking.Testing;

namespace ErrorTracking.Notifications.Tests;

/// <summary>The SMTP notifier registered as the web sample registers it, and configured only through configuration.</summary>
public sealed class SampleRegistrationTests
{
    private CapturedLogs _logs = null!;

    [SetUp]
    public void CollectLogs() => _logs = new CapturedLogs();

    [TearDown]
    public void DisposeLogs() => _logs.Dispose();

    private IHost SampleHost()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddProvider(_logs);
        // As samples/ErrorTracker.Samples.Web/Program.cs registers it.
        builder.Services.AddErrorTracker(builder.Configuration.GetSection("ErrorTracker"))
            .AddSmtpNotifier(builder.Configuration.GetSection("ErrorTracker:Smtp"));
        return builder.Build();
    }

    private static async Task<string> RecordFailureAsync(IHost host)
    {
        var tracker = host.Services.GetRequiredService<IErrorTracker>();
        var hash = tracker.RecordException(new InvalidOperationException("The monthly report failed.")) ?? throw new AssertionException("Not recorded.");
        (await tracker.FlushAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        return hash;
    }

    [Test]
    public async Task Without_a_host_the_sample_starts_records_and_stops_and_nothing_fails()
    {
        // A deployment may well name its recipients while mail stays off.
        using var environment = new EnvironmentScope(new Dictionary<string, string>
        {
            ["ErrorTracker__RecipientEmails"] = "ops@example.com",
            ["ErrorTracker__EmailSender"] = "errors@example.com",
        });
        using var host = SampleHost();

        await host.StartAsync();
        var hash = await RecordFailureAsync(host);
        await host.StopAsync();

        (await host.Services.GetRequiredService<IErrorStore>().GetAsync(hash, CancellationToken.None)).Should().NotBeNull();
        host.Services.GetRequiredService<IOptions<SmtpNotifierOptions>>().Value.Host.Should().BeNull();
        _logs.Entries.Should().NotContain(entry => entry.Level >= LogLevel.Warning);
    }

    [Test]
    public async Task With_the_host_and_notifications_set_in_environment_variables_a_failure_is_mailed()
    {
        await using var server = await SmtpTestServer.StartAsync();
        using var environment = new EnvironmentScope(new Dictionary<string, string>
        {
            ["ErrorTracker__Smtp__Host"] = server.Host,
            ["ErrorTracker__Smtp__Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ErrorTracker__SendNotification"] = "true",
            ["ErrorTracker__RecipientEmails"] = "ops@example.com",
            ["ErrorTracker__EmailSender"] = "errors@example.com",
            ["ErrorTracker__SubjectPrefix"] = "Sample",
        });
        using var host = SampleHost();

        await host.StartAsync();
        await RecordFailureAsync(host);
        var message = (await server.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Single().Message;
        await host.StopAsync();

        message.Subject.Should().StartWith("[Sample]").And.Contain("InvalidOperationException: The monthly report failed.");
        message.To.Mailboxes.Select(m => m.Address).Should().Equal("ops@example.com");
        message.From.Mailboxes.Select(m => m.Address).Should().Equal("errors@example.com");
        _logs.Entries.Should().NotContain(entry => entry.Level >= LogLevel.Warning);
    }

    [Test]
    public async Task With_notifications_on_but_no_host_the_sample_does_not_start_and_names_the_key()
    {
        using var environment = new EnvironmentScope(new Dictionary<string, string>
        {
            ["ErrorTracker__SendNotification"] = "true",
            ["ErrorTracker__RecipientEmails"] = "ops@example.com",
            ["ErrorTracker__EmailSender"] = "errors@example.com",
        });
        using var host = SampleHost();

        var starting = () => host.StartAsync();

        (await starting.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("ErrorTracker:Smtp:Host is required");
    }
}
