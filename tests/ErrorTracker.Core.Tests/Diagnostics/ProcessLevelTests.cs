using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using ErrorTracking.Diagnostics;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests.Diagnostics;

public sealed class ProcessLevelTests
{
    [Test]
    public async Task An_unobserved_task_exception_is_recorded()
    {
        await using var harness = new TrackerHarness();

        await FaultAndForgetAsync();
        for (var attempt = 0; attempt < 50 && (await harness.AllAsync()).Count == 0; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20);
        }

        var record = (await harness.AllAsync()).Should().ContainSingle().Subject;
        record.ExceptionName.Should().Be("System.AggregateException");
        (await harness.DetailAsync(record.Hash)).FirstOccurrence.Context.Should().Contain(c => c.Name == "unobserved_task");
    }

    [Test]
    public async Task The_counters_are_published_as_metrics()
    {
        await using var harness = new TrackerHarness();
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ErrorTrackerDiagnostics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measured[instrument.Name] = value);
        listener.Start();

        ErrorTracker.RecordException(Failures.Catch(Failures.PlaceOrder));
        await harness.FlushAsync();
        listener.RecordObservableInstruments();

        measured["errortracker.recorded"].Should().Be(1);
        measured["errortracker.stored"].Should().Be(1);
        measured["errortracker.dropped"].Should().Be(0);
        measured.Should().ContainKeys("errortracker.queue_length", "errortracker.buffered", "errortracker.lost", "errortracker.store_failures");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task FaultAndForgetAsync()
    {
        var task = Task.Run(() => throw new InvalidDataException("nobody awaited this"));
        while (!task.IsCompleted)
        {
            await Task.Delay(5);
        }
    }
}
