using System.Data.Common;
using Microsoft.Extensions.Configuration;

namespace ErrorTracking.Tool;

/// <summary>The entry point: parses the command line, runs one command, maps every failure to one line and an exit code.</summary>
internal static class Program
{
    private static readonly Dictionary<string, CommandSpec> Specs = new[]
    {
        new CommandSpec("list", [.. ParsedCommand.ConnectionOptions, "--host", "--method", "--path", "--exception", "--status", "--search", "--page", "--page-size"], ["--json"], 0),
        new CommandSpec("show", ParsedCommand.ConnectionOptions, ["--json"], 1),
        new CommandSpec("resolve", ParsedCommand.ConnectionOptions, [], 1),
        new CommandSpec("reopen", ParsedCommand.ConnectionOptions, [], 1),
        new CommandSpec("delete", ParsedCommand.ConnectionOptions, [], 1),
        new CommandSpec("purge", [.. ParsedCommand.ConnectionOptions, "--older-than"], ["--yes"], 0),
        new CommandSpec("stats", ParsedCommand.ConnectionOptions, ["--json"], 0),
        new CommandSpec("serve", [.. ParsedCommand.ConnectionOptions, "--urls"], ["--allow-remote"], 0),
        new CommandSpec("schema", ["--dialect", "--table-prefix"], [], 0),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        try
        {
            return await RunAsync(args, Console.Out, cancellation.Token).ConfigureAwait(false);
        }
        catch (ToolException e)
        {
            Terminal.EndProgress();
            Console.Error.WriteLine("errortracker: " + e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Terminal.EndProgress();
            Console.Error.WriteLine("errortracker: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException or System.Net.Sockets.SocketException
            or InvalidOperationException or NotSupportedException or ArgumentException or UnauthorizedAccessException
            or System.Text.Json.JsonException or FormatException)
        {
            Terminal.EndProgress();
            Console.Error.WriteLine("errortracker: database error: " + Describe(e));
            return ExitCodes.Database;
        }
#pragma warning disable CA1031 // The last resort: one line, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Terminal.EndProgress();
            Console.Error.WriteLine($"errortracker: unexpected {e.GetType().Name}: {Describe(e)}");
            return ExitCodes.Database;
        }
    }

    private static string Describe(Exception e)
    {
        var message = StoreConnection.FirstLine(e.Message);
        return e.InnerException is { } inner && !message.Contains(StoreConnection.FirstLine(inner.Message), StringComparison.Ordinal)
            ? message + " (" + StoreConnection.FirstLine(inner.Message) + ")"
            : message;
    }

    /// <summary>Runs the command line; throws <see cref="ToolException"/> for a usage error or a missing thing.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "-?" or "help")
        {
            if (args.Length > 1 && args[0] == "help" && Specs.ContainsKey(args[1]))
            {
                output.WriteLine(Help.For(args[1]));
                return ExitCodes.Ok;
            }

            output.WriteLine(Help.Overview);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }

        if (args[0] is "--version")
        {
            output.WriteLine(typeof(Program).Assembly.GetName().Version?.ToString(3));
            return ExitCodes.Ok;
        }

        if (!Specs.TryGetValue(args[0], out var spec))
        {
            throw new ToolException(ExitCodes.Usage, $"Unknown command '{args[0]}'; run 'errortracker --help' for the list.");
        }

        var command = ParsedCommand.Parse(spec, args[1..]);
        if (command.WantsHelp)
        {
            output.WriteLine(Help.For(spec.Name));
            return ExitCodes.Ok;
        }

        if (spec.Name == "schema")
        {
            return await SchemaAsync(command, output).ConfigureAwait(false);
        }

        await using var connection = StoreConnection.Open(command, StoreConnection.LoadConfiguration());
        if (spec.Name == "serve")
        {
            // Refuses a non-loopback address before touching the database.
            Serve.CheckUrls(command.Value("--urls") ?? Serve.DefaultUrls, command.Flag("--allow-remote"));
        }

        await connection.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return spec.Name switch
        {
            "list" => await Commands.ListAsync(command, connection.Store, output, cancellationToken).ConfigureAwait(false),
            "show" => await Commands.ShowAsync(command, connection.Store, output, cancellationToken).ConfigureAwait(false),
            "resolve" or "reopen" or "delete" => await Commands.ChangeAsync(command, connection.Store, output, cancellationToken).ConfigureAwait(false),
            "purge" => await Commands.PurgeAsync(command, connection.Store, output, cancellationToken).ConfigureAwait(false),
            "stats" => await Commands.StatsAsync(command, connection.Store, output, cancellationToken).ConfigureAwait(false),
            _ => await Serve.RunAsync(command, connection, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<int> SchemaAsync(ParsedCommand command, TextWriter output)
    {
        var options = new Storage.SqlStoreOptions();
        if (command.Value("--table-prefix") is { } prefix)
        {
            options.TablePrefix = prefix;
        }

        Storage.SqlErrorStore store;
        try
        {
            switch (command.Value("--dialect")?.ToLowerInvariant())
            {
                case "sqlite":
                    store = Storage.SqlErrorStore.ForSqlite("Data Source=schema.db", options);
                    break;
                case "postgres" or "postgresql":
                    await using (var dataSource = Npgsql.NpgsqlDataSource.Create("Host=localhost"))
                    {
                        output.Write(Storage.SqlErrorStore.ForPostgres(dataSource, options).GetSchemaScript());
                    }

                    return ExitCodes.Ok;
                case var other:
                    throw new ToolException(ExitCodes.Usage, $"schema needs --dialect sqlite or --dialect postgres{(other is null ? "" : $" (was '{other}')")}.");
            }
        }
        catch (ArgumentException e)
        {
            throw new ToolException(ExitCodes.Usage, "Invalid table prefix: " + StoreConnection.FirstLine(e.Message));
        }

        output.Write(store.GetSchemaScript());
        return ExitCodes.Ok;
    }
}
