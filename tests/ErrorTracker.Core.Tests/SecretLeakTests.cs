using System.Runtime.CompilerServices;
using System.Text.Json;
using ErrorTracking.Context;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Tests.Support;

namespace ErrorTracking.Tests;

/// <summary>
/// One secret, planted in every place an application can put it, must appear nowhere in what the tracker keeps
/// or sends: not in the store, not in the traceback, not in a notification or a ticket.
/// </summary>
public sealed class SecretLeakTests
{
    // Made at run time so it is not in this file's source, which the source context shows.
    private static readonly string Secret = "S3cr3t-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task A_secret_planted_everywhere_appears_nowhere()
    {
        await using var harness = new TrackerHarness(o =>
        {
            o.SendNotification = true;
            o.RecipientEmails = ["dev@example.com"];
            o.EmailSender = "errors@example.com";
            o.ContextBuilders.Add(new PlantingRequestBuilder(Secret));
        });

        string? hash;
        var password = Secret;
        try
        {
            Vault.Open(Secret);
            hash = null;
        }
        catch (Exception ex)
        {
            ex.Data["secret"] = Secret;
            ex.Data["note"] = "Authorization: Bearer " + Secret;
            ex.Data["details"] = new Dictionary<string, object> { ["api_key"] = Secret };
            var variables = new
            {
                password,
                account = new Account("bob", Secret),
                nested = new { items = new object[] { new Dictionary<string, object> { ["private_key"] = Secret } } },
                connection = $"Server=db;User Id=app;Password={Secret};Database=shop",
                header = "Bearer " + Secret,
                url = $"https://bob:{Secret}@internal.example/",
                json = JsonDocument.Parse("{\"user\":{\"credentials\":{\"pwd\":\"" + Secret + "\"}}}").RootElement,
            };
            var context = new Dictionary<string, object?> { ["token"] = Secret, ["note"] = $"retry with pwd={Secret}" };
            using var scope = ErrorTracker.BeginScope().Set("session", Secret);
            hash = ErrorTracker.RecordException(ex, variables, context);
            scope.Complete();
        }

        var detail = await harness.DetailAsync(hash);
        var stored = JsonSerializer.Serialize(detail);
        var traceback = TracebackRenderer.Render(detail.FirstOccurrence);
        var notification = harness.Notifier.Received.Should().ContainSingle().Subject;
        var ticket = harness.Tickets.Raised.Should().ContainSingle().Subject;
        var sent = JsonSerializer.Serialize(notification) + JsonSerializer.Serialize(ticket);

        foreach (var (what, text) in new[] { ("the stored record", stored), ("the traceback", traceback), ("what was sent", sent) })
        {
            text.Should().NotContain(Secret, what);
            text.Should().NotContain(Secret[7..], what);
        }

        // The places were really there, masked, not silently missing.
        var mask = "**************";
        traceback.Should().Contain($"password (variable) = {mask}")
            .And.Contain($"Password = {mask}")
            .And.Contain($"private_key: {mask}")
            .And.Contain($"Password={mask};Database=shop")
            .And.Contain($"Bearer {mask}")
            .And.Contain($"https://bob:{mask}@internal.example/")
            .And.Contain($"credentials: {mask}")
            .And.Contain($"s_masterPassword (static) = {mask}")
            .And.Contain($"property Detail = \"token={mask}\"")
            .And.Contain($"property ApiKey = {mask}")
            .And.Contain($"data secret = {mask}")
            .And.Contain($"token = {mask}")
            .And.Contain($"session = {mask}")
            .And.Contain($"retry with pwd={mask}");
        detail.Record.Message.Should().Be($"Vault refused key secret={mask}");
        detail.FirstOccurrence.Exception.Properties.Single(p => p.Name == "ApiKey").Value.Kind.Should().Be(RecordedValueKind.Masked);
        detail.FirstOccurrence.Exception.InnerExceptions.Single().Message.Should().Be($"login failed for https://admin:{mask}@vault.internal");
        detail.FirstOccurrence.Url.Should().Be($"https://shop.example/login?next=/home&access_token={mask}");
        var request = ValueText.Format(detail.FirstOccurrence.RequestData.Single(r => r.Name == "headers").Value);
        request.Should().Contain($"Authorization: {mask}").And.Contain($"Cookie: {mask}").And.Contain($"X-Api-Key: {mask}").And.Contain("Accept: \"text/html\"");
        notification.Subject.Should().Contain(mask);
    }

    private sealed record Account(string User, string Password);

    private static class Vault
    {
        private static readonly string s_masterPassword = Secret;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Open(string key)
        {
            try
            {
                throw new InvalidOperationException($"login failed for https://admin:{key}@vault.internal");
            }
            catch (Exception inner)
            {
                throw new VaultException($"Vault refused key secret={key}", key, inner) { Detail = $"token={s_masterPassword}" };
            }
        }
    }

    private sealed class VaultException(string message, string apiKey, Exception inner) : Exception(message, inner)
    {
        public string ApiKey { get; } = apiKey;

        public string Detail { get; init; } = "";
    }

    private sealed class PlantingRequestBuilder(string secret) : IContextBuilder
    {
        public void Build(CaptureContext context)
        {
            context.Host = "shop.example";
            context.Path = "/login";
            context.Method = "POST";
            context.Url = $"https://shop.example/login?next=/home&access_token={secret}";
            context.RequestData["headers"] = new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer " + secret,
                ["Cookie"] = ".AspNetCore.Session=" + secret,
                ["X-Api-Key"] = secret,
                ["Accept"] = "text/html",
            };
            context.RequestData["query"] = new Dictionary<string, string> { ["access_token"] = secret };
            context.RequestData["form"] = new Dictionary<string, string> { ["user"] = "bob", ["password"] = secret };
            context.RequestData["body"] = $$$"""{"login":{"user":"bob","password":"{{{secret}}}"}}""";
        }
    }
}
