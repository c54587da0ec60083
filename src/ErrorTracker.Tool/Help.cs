namespace ErrorTracking.Tool;

/// <summary>The help texts.</summary>
internal static class Help
{
    private const string Connection = """
        Database (one of):
          --db <file>            An SQLite database file written by ErrorTracker (never created by this tool),
                                 or an SQLite connection string ("Data Source=errors.db").
          --postgres <conn>      A PostgreSQL connection string ("Host=localhost;Database=app;Username=...").
          --table-prefix <text>  The tables' prefix, when the application changed it (default errortracker_).
        Without them: the environment variables ErrorTracker__Storage__Postgres, ErrorTracker__Storage__Sqlite
        and ErrorTracker__Storage__TablePrefix, or ErrorTracker:Storage:Postgres, :Sqlite and :TablePrefix in
        ./appsettings.json. The tool never creates a database or its tables.
        """;

    /// <summary>The overview.</summary>
    public const string Overview = """
        errortracker: read, triage and serve the errors recorded by ErrorTracker.

        Usage: errortracker <command> [options]

        Commands:
          list               The error groups, newest first, with the dashboard's filters.
          show <hash>        One group and its latest occurrence's traceback.
          resolve <hash>     Marks a group resolved.
          reopen <hash>      Marks a group unresolved again.
          delete <hash>      Deletes a group and its occurrences.
          purge              Deletes the groups last seen before a time (--older-than 30d).
          stats              Counts, top failures and occurrences per day.
          serve              The dashboard in a local web server (loopback only by default).
          schema             Prints the SQL schema (--dialect sqlite|postgres).

        A <hash> may be a unique prefix of at least 6 characters.
        Run 'errortracker <command> --help' for a command's options.

        Exit codes: 0 ok, 1 usage error (bad arguments, a refused confirmation), 2 not found (no database file,
        no such group, an ambiguous prefix), 3 database error (wrong connection string, unreachable server,
        broken file), 4 cancelled (answered no, Ctrl+C).
        """;

    /// <summary>The help of one command.</summary>
    public static string For(string command) => command switch
    {
        "list" => """
            Usage: errortracker list [filters] [--json] [database]

            The error groups, most recently seen first, as an aligned table (colour on a terminal; NO_COLOR=1 or
            redirected output turns it off), or as JSON with --json.

            Filters:
              --host <text>        Host contains the text.
              --method <verb>      Request method equals the verb (GET, POST...).
              --path <text>        Request path contains the text.
              --exception <text>   Exception type name contains the text.
              --status <status>    unresolved or resolved.
              -q, --search <text>  Message, path or exception name contains the text.
              --page <n>           The page (from 1; default 1).
              --page-size <n>      Groups per page (default 20).
              --json               Writes the page as JSON.

            """ + Connection,
        "show" => """
            Usage: errortracker show <hash-or-prefix> [--json] [database]

            The group (exception, message, status, occurrences, first and last seen, request) and the latest
            occurrence as the dashboard's text traceback: the exception chain, frames, variables and context.
            A unique prefix of at least 6 hexadecimal characters names the group.

              --json               Writes the group, its latest occurrence and the traceback as JSON.

            """ + Connection,
        "resolve" or "reopen" or "delete" => $"""
            Usage: errortracker {command} <hash-or-prefix> [database]

            {command switch { "resolve" => "Marks the group resolved; its next occurrence notifies again.", "reopen" => "Marks the group unresolved.", _ => "Deletes the group with its occurrences and daily counts." }}
            A unique prefix of at least 6 hexadecimal characters names the group.

            """ + Connection,
        "purge" => """
            Usage: errortracker purge --older-than <duration> [--yes] [database]

            Deletes every group last seen before now minus the duration, with a progress line on a terminal.
            Asks for confirmation on a terminal; with input redirected it refuses unless --yes is given.

              --older-than <dur>   A number and a unit: d (days), h (hours) or m (minutes), e.g. 30d, 12h.
              -y, --yes            Deletes without asking.

            """ + Connection,
        "stats" => """
            Usage: errortracker stats [--json] [database]

            Groups (unresolved and resolved), occurrences, the top failures of the last day (today) and of the
            last 7 days, and a histogram of occurrences per day over the last 14 days, in UTC days.

              --json               Writes the numbers as JSON.

            """ + Connection,
        "serve" => $"""
            Usage: errortracker serve [--urls <urls>] [--allow-remote] [database]

            Serves the full dashboard over the database at <url>{Serve.Prefix}/ until Ctrl+C. Only requests from
            this machine may view it.

              --urls <urls>        Where to listen, separated by ';' (default {Serve.DefaultUrls}). Port 0 picks a
                                   free port. Non-loopback addresses are refused without --allow-remote.
              --allow-remote       Allows non-loopback addresses AND lets every visitor in, without
                                   authentication: only behind a firewall or for a short look.

            """ + Connection,
        "schema" => """
            Usage: errortracker schema --dialect <sqlite|postgres> [--table-prefix <text>]

            Prints the SQL that creates the store's tables, for a DBA who creates them by hand.

              --dialect <name>       sqlite or postgres.
              --table-prefix <text>  The tables' prefix (default errortracker_).
            """,
        _ => Overview,
    };
}
