using System.Net;
using System.Net.Sockets;

namespace ErrorTracking.Notifications.Tests.Support;

/// <summary>Loopback endpoints that misbehave, for the failure tests.</summary>
internal static class Loopback
{
    /// <summary>A loopback port nothing listens on: connecting is refused.</summary>
    public static int ClosedPort() => ErrorTracking.Testing.Web.DeliveryOutageApp.ClosedPort();

    /// <summary>Accepts connections and never says a word, like a server that hangs: the client waits for the greeting.</summary>
    public sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _accepted = [];

        public SilentServer()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        public void Dispose()
        {
            _listener.Stop();
            lock (_accepted)
            {
                foreach (var socket in _accepted)
                {
                    socket.Dispose();
                }
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
                    lock (_accepted)
                    {
                        _accepted.Add(socket);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
