using System.Net;
using ErrorTracking.AspNetCore.Security;
using ErrorTracking.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Tool;

/// <summary><c>errortracker serve</c>: the dashboard over the store, on loopback unless <c>--allow-remote</c>.</summary>
internal static class Serve
{
    /// <summary>Where the dashboard listens when <c>--urls</c> is not given.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The dashboard's path.</summary>
    public const string Prefix = "/dev/error";

    /// <summary>Checks the URLs before anything starts: each must be http(s) on a loopback host unless remote is allowed.</summary>
    public static IReadOnlyList<string> CheckUrls(string urls, bool allowRemote)
    {
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
        {
            throw new ToolException(ExitCodes.Usage, "--urls needs at least one URL, such as http://127.0.0.1:5080.");
        }

        foreach (var url in list)
        {
            // Kestrel's wildcards (http://*:5080, http://+:5080) are not URIs; they bind every address.
            var host = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
            if (!Uri.TryCreate(host, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ToolException(ExitCodes.Usage, $"'{url}' is not an http:// or https:// URL.");
            }

            if (!allowRemote && !IsLoopback(uri))
            {
                throw new ToolException(ExitCodes.Usage,
                    $"Refusing to serve the dashboard on '{url}': it is not a loopback address, and the dashboard shows recorded data to anyone who reaches it. Use http://127.0.0.1:PORT, or pass --allow-remote if you really mean it.");
            }
        }

        return list;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback
        || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Runs the dashboard until Ctrl+C.</summary>
    public static async Task<int> RunAsync(ParsedCommand command, StoreConnection connection, CancellationToken cancellationToken)
    {
        var allowRemote = command.Flag("--allow-remote");
        var urls = CheckUrls(command.Value("--urls") ?? DefaultUrls, allowRemote);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. urls]);
        var tracker = builder.Services.AddErrorTracker(o =>
        {
            o.UrlPrefix = Prefix;
            o.CaptureUnhandledExceptions = false;
        }).UseStore(connection.Store);
        if (allowRemote)
        {
            tracker.UseViewPermission(new AnyViewerPermission());
        }
        else
        {
            tracker.UseViewPermission<LoopbackPermission>();
        }

        await using var app = builder.Build();
        app.MapGet("/", () => Results.Redirect(Prefix + "/"));
        app.MapErrorTracker();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new ToolException(ExitCodes.Usage, "Cannot listen on " + string.Join(", ", urls) + ": " + StoreConnection.FirstLine(e.Message));
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (allowRemote)
        {
            Console.Error.WriteLine(Terminal.Paint("WARNING: --allow-remote: the dashboard is open to ANYONE who can reach these addresses, without authentication. It shows recorded errors, requests and variables, and lets visitors resolve and delete them.", "1;31"));
        }

        foreach (var address in addresses)
        {
            Console.Out.WriteLine($"Serving the dashboard of {connection.Description} at {address.TrimEnd('/')}{Prefix}/");
        }

        Console.Out.WriteLine("Press Ctrl+C to stop.");
        Console.Out.Flush();
        // Ends on Ctrl+C or SIGTERM (the host's console lifetime) and on the tool's own cancellation.
        using (cancellationToken.Register(() => app.Lifetime.StopApplication()))
        {
            await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Lets every viewer in: only with <c>--allow-remote</c>, after the warning.</summary>
    private sealed class AnyViewerPermission : IViewPermission
    {
        public ValueTask<bool> IsAllowedAsync(ViewerContext viewer, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
