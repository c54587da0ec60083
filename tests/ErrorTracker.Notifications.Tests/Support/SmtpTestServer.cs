using System.Buffers;
using System.Net;
using System.Text;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ErrorTracking.Notifications.Tests.Support;

/// <summary>A message the test server accepted, parsed with MimeKit.</summary>
/// <param name="Message">The parsed message.</param>
/// <param name="Raw">The message as the server received it.</param>
/// <param name="EnvelopeFrom">The SMTP envelope's sender (MAIL FROM).</param>
/// <param name="EnvelopeTo">The SMTP envelope's recipients (RCPT TO).</param>
/// <param name="AuthenticatedUser">Who the client authenticated as, if it did.</param>
public sealed record ReceivedMessage(MimeMessage Message, string Raw, string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, string? AuthenticatedUser);

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port, in the test process, that keeps every message
/// it accepts. Start one per test with <see cref="StartAsync"/> and dispose it at the end.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedMessage> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _rejectNext;
    private volatile bool _rejectPermanently;
    private int _rejected;
    private int _sessions;
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    private SmtpTestServer()
    {
    }

    /// <summary>The server's address: always the IPv4 loopback.</summary>
    public string Host => IPAddress.Loopback.ToString();

    /// <summary>The port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The messages accepted so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>How many messages the server refused (see <see cref="RejectNextMessages"/>).</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>How many connections (SMTP sessions) clients opened, whatever became of them.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>
    /// Answers the next <paramref name="count"/> messages' data with <c>451</c>, a transient failure ("try again
    /// later"), as a mail server does when it is overloaded or its disk is full; or, <paramref name="permanently"/>,
    /// with <c>550</c> (mailbox unavailable), a refusal that holds for any later attempt. The messages are not kept.
    /// </summary>
    /// <param name="count">How many messages to refuse.</param>
    /// <param name="permanently">Whether the refusal is permanent (5yz) rather than transient (4yz).</param>
    public void RejectNextMessages(int count, bool permanently = false)
    {
        _rejectPermanently = permanently;
        Volatile.Write(ref _rejectNext, count);
    }

    /// <summary>Starts a server; with a user name and password it accepts mail only from a client that authenticates with them.</summary>
    /// <param name="username">The user name the server requires, or <see langword="null"/> to require none.</param>
    /// <param name="password">The password the server requires with <paramref name="username"/>.</param>
    /// <param name="port">The loopback port to listen on (a server that comes back where it was down); 0 lets the system choose a free one.</param>
    /// <returns>The server, listening.</returns>
    public static async Task<SmtpTestServer> StartAsync(string? username = null, string? password = null, int port = 0)
    {
        var server = new SmtpTestServer();
        var requireAuthentication = username is not null;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                .AuthenticationRequired(requireAuthentication)
                // Loopback only, and a test: no certificate to make, so authentication goes over plain text.
                .AllowUnsecureAuthentication(requireAuthentication))
            .Build();

        // Port 0 lets the system choose a free port; the listener tells which once it is bound.
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => listening.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(server));
        if (requireAuthentication)
        {
            services.Add(new DelegatingUserAuthenticator((user, secret) => user == username && secret == password));
        }

        server._server = new SmtpServer.SmtpServer(options, services);
        server._server.SessionCreated += (_, _) => Interlocked.Increment(ref server._sessions);
        server._running = server._server.StartAsync(server._stop.Token);
        var started = await Task.WhenAny(listening.Task, server._running, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        if (started != listening.Task)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("The test SMTP server did not start listening.");
        }

        server.Port = await listening.Task.ConfigureAwait(false);
        return server;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived.</summary>
    /// <param name="count">How many messages to wait for.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>Every message accepted so far, in arrival order (at least <paramref name="count"/>).</returns>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>; the message says how many.</exception>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_messages.Count >= count)
                {
                    return [.. _messages];
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(expiry.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested)
            {
                throw new TimeoutException($"Expected {count} message(s) within {timeout}, but {Messages.Count} arrived.");
            }
        }
    }

    /// <summary>Stops listening, ending open sessions.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            try
            {
                await _running.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The way the server reports that it was told to stop.
            }
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Add(ReceivedMessage message)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _messages.Add(message);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private bool TryReject()
    {
        while (true)
        {
            var left = Volatile.Read(ref _rejectNext);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _rejectNext, left - 1, left) == left)
            {
                Interlocked.Increment(ref _rejected);
                return true;
            }
        }
    }

    private sealed class Store(SmtpTestServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            if (owner.TryReject())
            {
                return owner._rejectPermanently
                    ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "Requested action not taken: mailbox unavailable")
                    : new SmtpResponse(SmtpReplyCode.Aborted, "Requested action aborted: try again later");
            }

            // The buffer is only valid during this call.
            var bytes = buffer.ToArray();
            using var stream = new MemoryStream(bytes);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            owner.Add(new ReceivedMessage(
                message,
                Encoding.UTF8.GetString(bytes),
                transaction.From.AsAddress(),
                [.. transaction.To.Select(to => to.AsAddress())],
                context.Authentication.IsAuthenticated ? context.Authentication.User : null));
            return SmtpResponse.Ok;
        }
    }
}
