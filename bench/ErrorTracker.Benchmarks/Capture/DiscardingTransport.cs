using Sentry.Extensibility;
using Sentry.Protocol.Envelopes;

namespace ErrorTracking.Benchmarks.Capture;

/// <summary>Sentry's transport replaced by one that counts envelopes and keeps the last: no serialization, no network.</summary>
internal sealed class DiscardingTransport : ITransport
{
    private long _sent;

    public long Sent => Interlocked.Read(ref _sent);

    public Envelope? Last { get; private set; }

    public Task SendEnvelopeAsync(Envelope envelope, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _sent);
        Last = envelope;
        return Task.CompletedTask;
    }
}
