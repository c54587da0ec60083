using ErrorTracking.Context;
using ErrorTracking.Masking;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ErrorTracking.Tests;

public sealed class DependencyInjectionTests
{
    [Test]
    public async Task The_facade_and_the_injected_tracker_are_one_instance()
    {
        var services = new ServiceCollection();
        services.AddErrorTracker();
        await using (var provider = services.BuildServiceProvider())
        {
            var tracker = provider.GetRequiredService<IErrorTracker>();

            ErrorTracker.Current.Should().BeSameAs(tracker);
            provider.GetRequiredService<IErrorTracker>().Should().BeSameAs(tracker);
            var hash = ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
            await tracker.FlushAsync(TimeSpan.FromSeconds(10));
            (await provider.GetRequiredService<IErrorStore>().GetAsync(hash!, CancellationToken.None)).Should().NotBeNull();
        }

        ErrorTracker.Current.Should().BeNull("disposing the container stops and detaches its tracker");
    }

    [Test]
    public async Task Adding_twice_registers_one_tracker_with_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddErrorTracker(o => o.MaskWith = "###");
        services.AddErrorTracker(o => o.ApplicationName = "shop");
        await using var provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(IErrorTracker)).Should().Be(1);
        var tracker = provider.GetRequiredService<IErrorTracker>();
        var hash = tracker.RecordException(Failures.Catch(Failures.PlaceOrder), new { password = "x" });
        await tracker.FlushAsync(TimeSpan.FromSeconds(10));
        var occurrence = (await provider.GetRequiredService<IErrorStore>().GetAsync(hash!, CancellationToken.None))!.FirstOccurrence;
        occurrence.Application.Should().Be("shop");
        occurrence.Exception.Frames[^1].Variables.Single(v => v.Name == "password").Value.Text.Should().Be("###");
    }

    [Test]
    public async Task Builder_choices_are_used()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Marker("from-di"));
        services.AddErrorTracker()
            .UseStore<InMemoryErrorStore>()
            .UseMaskingRule<KeyIsSecretRule>()
            .AddContextBuilder<MarkerContextBuilder>()
            .AddNotifier<CollectingNotifier>()
            .AddTicketing<CollectingTicketing>()
            .Configure(o =>
            {
                o.SendNotification = true;
                o.RecipientEmails = ["dev@example.com"];
                o.EmailSender = "errors@example.com";
            });
        await using var provider = services.BuildServiceProvider();
        var tracker = provider.GetRequiredService<IErrorTracker>();

        var hash = tracker.RecordException(Failures.Catch(Failures.PlaceOrder), new { key = "k-1", password = "visible" });
        await tracker.FlushAsync(TimeSpan.FromSeconds(10));

        var store = provider.GetRequiredService<InMemoryErrorStore>();
        provider.GetRequiredService<IErrorStore>().Should().BeSameAs(store);
        var occurrence = (await store.GetAsync(hash!, CancellationToken.None))!.FirstOccurrence;
        var variables = occurrence.Exception.Frames[^1].Variables.ToDictionary(v => v.Name, v => v.Value);
        variables["key"].Kind.Should().Be(RecordedValueKind.Masked, "the custom rule replaces the default one");
        variables["password"].Text.Should().Be("visible");
        occurrence.Context.Single(c => c.Name == "marker").Value.Text.Should().Be("from-di");
        provider.GetServices<ErrorTracking.Notification.INotifier>().OfType<CollectingNotifier>().Single().Received.Should().ContainSingle();
        provider.GetServices<ErrorTracking.Ticketing.ITicketing>().OfType<CollectingTicketing>().Single().Raised.Should().ContainSingle();
    }

    [Test]
    public async Task A_view_permission_is_chosen_by_type_or_instance()
    {
        var byInstance = new ServiceCollection();
        var permission = new ErrorTracking.Security.DenyAllViewPermission();
        byInstance.AddErrorTracker().UseViewPermission(permission);
        await using (var provider = byInstance.BuildServiceProvider())
        {
            provider.GetRequiredService<ErrorTracking.Security.IViewPermission>().Should().BeSameAs(permission);
        }

        var byType = new ServiceCollection();
        byType.AddErrorTracker().UseViewPermission(permission).UseViewPermission<ErrorTracking.Security.DenyAllViewPermission>();
        await using var replaced = byType.BuildServiceProvider();
        replaced.GetServices<ErrorTracking.Security.IViewPermission>().Should().ContainSingle().Which.Should().NotBeSameAs(permission);
    }

    private sealed record Marker(string Value);

    private sealed class MarkerContextBuilder(Marker marker) : IContextBuilder
    {
        public void Build(CaptureContext context) => context.Extra["marker"] = marker.Value;
    }

    private sealed class KeyIsSecretRule : IMaskingRule
    {
        public bool TryMask(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? replacement)
        {
            replacement = name == "key" ? "<key>" : null;
            return replacement is not null;
        }
    }
}
