using ErrorTracking.Notification;
using ErrorTracking.Notifications.Smtp;
using ErrorTracking.Notifications.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ErrorTracking.Notifications.Tests;

public sealed class SmtpNotifierRegistrationTests
{
    private static IHost Host(IDictionary<string, string?> settings, Action<IErrorTrackerBuilder, IConfiguration>? register = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var tracker = builder.Services.AddErrorTracker(builder.Configuration.GetSection("ErrorTracker"));
        (register ?? FromConfiguration)(tracker, builder.Configuration);
        return builder.Build();
    }

    private static void FromConfiguration(IErrorTrackerBuilder tracker, IConfiguration configuration) =>
        tracker.AddSmtpNotifier(configuration.GetSection(SmtpNotifierOptions.SectionName));

    [Test]
    public void Every_key_binds_from_the_ErrorTracker_Smtp_section()
    {
        using var host = Host(new Dictionary<string, string?>
        {
            ["ErrorTracker:Smtp:Host"] = "smtp.example.com",
            ["ErrorTracker:Smtp:Port"] = "587",
            ["ErrorTracker:Smtp:Security"] = "StartTls",
            ["ErrorTracker:Smtp:Username"] = "tracker",
            ["ErrorTracker:Smtp:Password"] = "pa55",
            ["ErrorTracker:Smtp:Timeout"] = "00:00:05",
        });

        host.Services.GetRequiredService<IOptions<SmtpNotifierOptions>>().Value.Should().BeEquivalentTo(new SmtpNotifierOptions
        {
            Host = "smtp.example.com",
            Port = 587,
            Security = SmtpSecurity.StartTls,
            Username = "tracker",
            Password = "pa55",
            Timeout = TimeSpan.FromSeconds(5),
        });
    }

    [Test]
    public void The_defaults_are_port_25_automatic_security_thirty_seconds_and_no_credentials()
    {
        using var host = Host(new Dictionary<string, string?>(), (b, _) => b.AddSmtpNotifier(o => o.Host = "smtp.example.com"));

        host.Services.GetRequiredService<IOptions<SmtpNotifierOptions>>().Value.Should().BeEquivalentTo(new
        {
            Host = "smtp.example.com",
            Port = 25,
            Security = SmtpSecurity.Auto,
            Username = (string?)null,
            Password = (string?)null,
            Timeout = TimeSpan.FromSeconds(30),
        });
    }

    [Test]
    public void Environment_variables_with_double_underscores_reach_the_options()
    {
        using var environment = new EnvironmentScope(new Dictionary<string, string>
        {
            ["ErrorTracker__Smtp__Host"] = "mail.internal",
            ["ErrorTracker__Smtp__Port"] = "2525",
            ["ErrorTracker__Smtp__Security"] = "SslOnConnect",
        });
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables();
        builder.Services.AddErrorTracker(builder.Configuration.GetSection("ErrorTracker"))
            .AddSmtpNotifier(builder.Configuration.GetSection(SmtpNotifierOptions.SectionName));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<SmtpNotifierOptions>>().Value;

        (options.Host, options.Port, options.Security).Should().Be(("mail.internal", 2525, SmtpSecurity.SslOnConnect));
    }

    [Test]
    public async Task Wrong_values_stop_the_start_with_every_key_named()
    {
        using var host = Host(new Dictionary<string, string?>
        {
            ["ErrorTracker:Smtp:Host"] = "smtp.example.com",
            ["ErrorTracker:Smtp:Port"] = "0",
            // Seconds without hh:mm:ss: TimeSpan reads days.
            ["ErrorTracker:Smtp:Timeout"] = "30",
        });

        var starting = () => host.StartAsync();

        var failure = (await starting.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Failures.Should().BeEquivalentTo(
            "ErrorTracker:Smtp:Port must be between 1 and 65535 (was 0).",
            "ErrorTracker:Smtp:Timeout must be longer than zero and at most 00:10:00, written as hh:mm:ss such as 00:00:30 (was 30.00:00:00).");
    }

    [Test]
    public async Task A_password_without_a_user_name_stops_the_start_without_showing_the_password()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        using var host = Host(new Dictionary<string, string?>
        {
            ["ErrorTracker:Smtp:Host"] = "smtp.example.com",
            ["ErrorTracker:Smtp:Password"] = password,
        });

        var starting = () => host.StartAsync();

        var failure = (await starting.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Message.Should().Contain("ErrorTracker:Smtp:Password is set but ErrorTracker:Smtp:Username is not");
        failure.ToString().Should().NotContain(password);
    }

    [Test]
    public async Task With_notifications_on_and_no_host_the_start_fails_naming_the_host_key()
    {
        using var host = Host(new Dictionary<string, string?>
        {
            ["ErrorTracker:SendNotification"] = "true",
            ["ErrorTracker:RecipientEmails"] = "ops@example.com",
            ["ErrorTracker:EmailSender"] = "errors@example.com",
        });

        var starting = () => host.StartAsync();

        (await starting.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().Equal(
            "ErrorTracker:Smtp:Host is required when ErrorTracker:SendNotification is true: name the SMTP server to send through.");
    }

    [Test]
    public void An_unknown_security_mode_names_its_key()
    {
        using var host = Host(new Dictionary<string, string?>
        {
            ["ErrorTracker:Smtp:Host"] = "smtp.example.com",
            ["ErrorTracker:Smtp:Security"] = "Tls13Please",
        });

        var reading = () => host.Services.GetRequiredService<IOptions<SmtpNotifierOptions>>().Value;

        reading.Should().Throw<InvalidOperationException>().WithMessage("*ErrorTracker:Smtp:Security*");
    }

    [Test]
    public void Registering_twice_adds_one_notifier_with_both_settings()
    {
        using var host = Host(
            new Dictionary<string, string?> { ["ErrorTracker:Smtp:Host"] = "smtp.example.com" },
            (b, configuration) => b.AddSmtpNotifier(configuration.GetSection(SmtpNotifierOptions.SectionName)).AddSmtpNotifier(o => o.Port = 2525));

        host.Services.GetServices<INotifier>().Should().ContainSingle().Which.Should().BeOfType<SmtpNotifier>();
        var options = host.Services.GetRequiredService<IOptions<SmtpNotifierOptions>>().Value;
        (options.Host, options.Port).Should().Be(("smtp.example.com", 2525));
    }
}
