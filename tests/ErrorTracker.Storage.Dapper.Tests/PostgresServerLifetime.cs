using ErrorTracking.Storage.Tests.Support;

namespace ErrorTracking.Storage.Tests;

/// <summary>
/// Stops the shared <see cref="PostgresServer"/> once every test in this namespace and below has run, failed or
/// not. A test host that is killed instead never gets here; the server's watchdog covers that case.
/// </summary>
[SetUpFixture]
public sealed class PostgresServerLifetime
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresServer.StopAsync();
}
