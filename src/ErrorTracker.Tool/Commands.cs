using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ErrorTracking.Records;
using ErrorTracking.Rendering;
using ErrorTracking.Storage;

namespace ErrorTracking.Tool;

/// <summary>The commands that read and change the store.</summary>
internal static class Commands
{
    private const int ScanPageSize = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // An occurrence as deep as capture makes it (100 value levels, 32 inner exceptions) is about 380 levels of JSON.
        MaxDepth = 1024,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary><c>errortracker list</c>.</summary>
    public static async Task<int> ListAsync(ParsedCommand command, SqlErrorStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var status = command.Value("--status") switch
        {
            null => (ErrorStatus?)null,
            var s when s.Equals("unresolved", StringComparison.OrdinalIgnoreCase) => ErrorStatus.Unresolved,
            var s when s.Equals("resolved", StringComparison.OrdinalIgnoreCase) => ErrorStatus.Resolved,
            var s => throw new ToolException(ExitCodes.Usage, $"--status must be 'unresolved' or 'resolved' (was '{s}')."),
        };
        var query = new ErrorQuery
        {
            Page = command.PositiveNumber("--page", 1),
            PageSize = command.PositiveNumber("--page-size", 20),
            Host = command.Value("--host"),
            Method = command.Value("--method"),
            Path = command.Value("--path"),
            ExceptionName = command.Value("--exception"),
            Status = status,
            Search = command.Value("--search"),
        };
        var page = await store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        if (command.Flag("--json"))
        {
            output.WriteLine(JsonSerializer.Serialize(new { page.Page, page.PageSize, page.TotalCount, page.PageCount, page.Items }, Json));
            return ExitCodes.Ok;
        }

        if (page.TotalCount == 0)
        {
            output.WriteLine("No errors recorded" + (HasFilter(query) ? " match these filters." : "."));
            return ExitCodes.Ok;
        }

        var rows = page.Items.Select(r => new[]
        {
            r.Hash[..Math.Min(12, r.Hash.Length)],
            r.Status == ErrorStatus.Resolved ? "resolved" : "open",
            r.Count.ToString(CultureInfo.InvariantCulture),
            Time(r.LastSeen),
            Terminal.Fit(r.ExceptionName, 40),
            Terminal.Fit(string.Join(' ', new[] { r.Method, r.Path }.Where(s => s.Length > 0)), 30),
            Terminal.Fit(r.Message, 60),
        }).ToList();
        Terminal.WriteTable(output, ["HASH", "STATUS", "COUNT", "LAST SEEN (UTC)", "EXCEPTION", "REQUEST", "MESSAGE"], rows, (column, cell) => column switch
        {
            0 => Terminal.Paint(cell, "33"),
            1 => Terminal.Paint(cell, cell.StartsWith("open", StringComparison.Ordinal) ? "31" : "32"),
            4 => Terminal.Paint(cell, "1"),
            _ => cell,
        });
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Page {page.Page} of {page.PageCount} ({page.TotalCount} group{(page.TotalCount == 1 ? "" : "s")}){(page.HasNext ? $"; next: --page {page.Page + 1}" : "")}"));
        return ExitCodes.Ok;
    }

    /// <summary><c>errortracker show</c>.</summary>
    public static async Task<int> ShowAsync(ParsedCommand command, SqlErrorStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var hash = await ResolveAsync(store, command.Arguments[0], cancellationToken).ConfigureAwait(false);
        var detail = await store.GetAsync(hash, cancellationToken).ConfigureAwait(false)
            ?? throw new ToolException(ExitCodes.NotFound, $"No error group '{hash}' (deleted meanwhile?).");
        var record = detail.Record;
        var traceback = TracebackRenderer.Render(detail.LatestOccurrence);
        if (command.Flag("--json"))
        {
            output.WriteLine(JsonSerializer.Serialize(new { Record = record, detail.LatestOccurrence, Traceback = traceback }, Json));
            return ExitCodes.Ok;
        }

        output.WriteLine(Terminal.Paint(Terminal.Shown(record.ExceptionName), "1;31") + ": " + Terminal.Shown(record.Message));
        output.WriteLine();
        var fields = new List<(string, string)>
        {
            ("Hash", record.Hash),
            ("Status", record.Status == ErrorStatus.Resolved ? "resolved" : "unresolved"),
            ("Occurrences", record.Count.ToString(CultureInfo.InvariantCulture)),
            ("First seen", Time(record.CreatedOn) + " UTC"),
            ("Last seen", Time(record.LastSeen) + " UTC"),
        };
        if (record.Method.Length > 0 || record.Path.Length > 0)
        {
            fields.Add(("Request", $"{record.Method} {record.Path}".Trim()));
        }

        if (record.Host.Length > 0)
        {
            fields.Add(("Host", record.Host));
        }

        if (!string.IsNullOrEmpty(record.Application))
        {
            fields.Add(("Application", record.Application));
        }

        if (record.TicketReference is { Length: > 0 } ticket)
        {
            fields.Add(("Ticket", ticket));
        }

        foreach (var (name, value) in fields)
        {
            output.WriteLine(Terminal.Paint((name + ":").PadRight(13), "1") + Terminal.Shown(value));
        }

        output.WriteLine();
        output.WriteLine(Terminal.Paint("Latest occurrence (" + Time(detail.LatestOccurrence.Timestamp) + " UTC):", "1"));
        output.WriteLine(traceback.TrimEnd());
        return ExitCodes.Ok;
    }

    /// <summary><c>errortracker resolve</c>, <c>reopen</c> and <c>delete</c>.</summary>
    public static async Task<int> ChangeAsync(ParsedCommand command, SqlErrorStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var hash = await ResolveAsync(store, command.Arguments[0], cancellationToken).ConfigureAwait(false);
        var done = command.Name switch
        {
            "resolve" => await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Resolved }, cancellationToken).ConfigureAwait(false),
            "reopen" => await store.UpdateAsync(hash, new ErrorRecordUpdate { Status = ErrorStatus.Unresolved }, cancellationToken).ConfigureAwait(false),
            _ => await store.DeleteAsync(hash, cancellationToken).ConfigureAwait(false),
        };
        if (!done)
        {
            throw new ToolException(ExitCodes.NotFound, $"No error group '{hash}' (deleted meanwhile?).");
        }

        var verb = command.Name switch { "resolve" => "Resolved", "reopen" => "Reopened", _ => "Deleted" };
        output.WriteLine($"{verb} {hash}.");
        return ExitCodes.Ok;
    }

    /// <summary><c>errortracker purge</c>.</summary>
    public static async Task<int> PurgeAsync(ParsedCommand command, SqlErrorStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var olderThan = command.Value("--older-than")
            ?? throw new ToolException(ExitCodes.Usage, "purge needs --older-than, e.g. --older-than 30d (units d, h, m).");
        var cutoff = DateTimeOffset.UtcNow - ParseDuration(olderThan);
        var hashes = new List<string>();
        await foreach (var record in ScanAsync(store, new ErrorQuery { To = cutoff }, cancellationToken).ConfigureAwait(false))
        {
            hashes.Add(record.Hash);
        }

        if (hashes.Count == 0)
        {
            output.WriteLine($"No error groups last seen before {Time(cutoff)} UTC; nothing to purge.");
            return ExitCodes.Ok;
        }

        var what = string.Create(CultureInfo.InvariantCulture, $"{hashes.Count} error group{(hashes.Count == 1 ? "" : "s")} last seen before {Time(cutoff)} UTC");
        if (!command.Flag("--yes"))
        {
            if (Console.IsInputRedirected)
            {
                throw new ToolException(ExitCodes.Usage, $"Refusing to delete {what} without --yes: input is not a terminal to confirm on.");
            }

            Console.Error.Write($"Delete {what}? [y/N] ");
            var answer = Console.ReadLine()?.Trim();
            if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine("Nothing deleted.");
                return ExitCodes.Cancelled;
            }
        }

        var deleted = 0;
        for (var i = 0; i < hashes.Count; i++)
        {
            Terminal.ShowProgress(Bar(i, hashes.Count) + string.Create(CultureInfo.InvariantCulture, $" deleting {i + 1}/{hashes.Count}"));
            if (await store.DeleteAsync(hashes[i], cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        Terminal.EndProgress();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Deleted {deleted} error group{(deleted == 1 ? "" : "s")} last seen before {Time(cutoff)} UTC."));
        return ExitCodes.Ok;
    }

    /// <summary><c>errortracker stats</c>.</summary>
    public static async Task<int> StatsAsync(ParsedCommand command, SqlErrorStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(-13);
        var groups = 0L;
        var unresolved = 0L;
        var occurrences = 0L;
        var recent = new List<ErrorRecord>();
        await foreach (var record in ScanAsync(store, new ErrorQuery(), cancellationToken, showProgress: true).ConfigureAwait(false))
        {
            groups++;
            occurrences += record.Count;
            unresolved += record.Status == ErrorStatus.Unresolved ? 1 : 0;
            if (DateOnly.FromDateTime(record.LastSeen.UtcDateTime) >= firstDay)
            {
                recent.Add(record);
            }
        }

        var days = new List<DailyCount>();
        foreach (var chunk in recent.Chunk(ScanPageSize))
        {
            days.AddRange(await store.CountByDayAsync(chunk.Select(r => r.Hash).ToList(), firstDay, today, cancellationToken).ConfigureAwait(false));
        }

        Terminal.EndProgress();
        var perDay = Enumerable.Range(0, 14).Select(i => firstDay.AddDays(i))
            .Select(day => (Day: day, Count: days.Where(d => d.Day == day).Sum(d => d.Count))).ToList();
        long CountSince(string hash, DateOnly from) => days.Where(d => d.Hash == hash && d.Day >= from).Sum(d => d.Count);
        List<(ErrorRecord Record, long Count)> Top(int span) => recent
            .Select(r => (Record: r, Count: CountSince(r.Hash, today.AddDays(1 - span))))
            .Where(t => t.Count > 0).OrderByDescending(t => t.Count).ThenByDescending(t => t.Record.LastSeen).Take(5).ToList();

        if (command.Flag("--json"))
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                Groups = groups,
                Unresolved = unresolved,
                Occurrences = occurrences,
                LastDay = Top(1).Select(t => new { t.Record.Hash, t.Record.ExceptionName, t.Record.Message, Occurrences = t.Count }),
                LastWeek = Top(7).Select(t => new { t.Record.Hash, t.Record.ExceptionName, t.Record.Message, Occurrences = t.Count }),
                PerDay = perDay.Select(d => new { Day = d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Occurrences = d.Count }),
            }, Json));
            return ExitCodes.Ok;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Groups:       {groups} ({unresolved} unresolved, {groups - unresolved} resolved)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Occurrences:  {occurrences}"));
        foreach (var (title, span) in new[] { ("Top failures, last day (today, UTC)", 1), ("Top failures, last 7 days (UTC)", 7) })
        {
            output.WriteLine();
            output.WriteLine(Terminal.Paint(title + ":", "1"));
            var list = Top(span);
            if (list.Count == 0)
            {
                output.WriteLine("  (none)");
                continue;
            }

            foreach (var (record, count) in list)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {count,6}  {Terminal.Paint(record.Hash[..Math.Min(12, record.Hash.Length)], "33")}  {Terminal.Fit(record.ExceptionName + ": " + record.Message, 70)}"));
            }
        }

        output.WriteLine();
        output.WriteLine(Terminal.Paint("Occurrences per day, last 14 days (UTC):", "1"));
        var max = Math.Max(1, perDay.Max(d => d.Count));
        var block = Console.IsOutputRedirected ? '#' : '█';
        foreach (var (day, count) in perDay)
        {
            var width = count == 0 ? 0 : (int)Math.Max(1, Math.Round(40.0 * count / max));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {day:yyyy-MM-dd} {day.DayOfWeek.ToString()[..3]} {count,6} {Terminal.Paint(new string(block, width), "36")}").TrimEnd());
        }

        return ExitCodes.Ok;
    }

    /// <summary>A full hash, from a full hash or a unique prefix of at least 6 hexadecimal characters.</summary>
    public static async Task<string> ResolveAsync(SqlErrorStore store, string given, CancellationToken cancellationToken)
    {
        var prefix = given.Trim().ToLowerInvariant();
        if (prefix.Length < 6 || !prefix.All(char.IsAsciiHexDigitLower))
        {
            throw new ToolException(ExitCodes.Usage, $"'{given}' is not a hash: give the group's hash or a prefix of at least 6 hexadecimal characters.");
        }

        if (await store.GetAsync(prefix, cancellationToken).ConfigureAwait(false) is not null)
        {
            return prefix;
        }

        var matches = new List<ErrorRecord>();
        await foreach (var record in ScanAsync(store, new ErrorQuery(), cancellationToken).ConfigureAwait(false))
        {
            if (record.Hash.StartsWith(prefix, StringComparison.Ordinal))
            {
                matches.Add(record);
            }
        }

        return matches.Count switch
        {
            1 => matches[0].Hash,
            0 => throw new ToolException(ExitCodes.NotFound, $"No error group matches '{given}'."),
            _ => throw new ToolException(ExitCodes.NotFound,
                $"'{given}' is ambiguous: it matches {string.Join(", ", matches.Select(m => $"{m.Hash[..Math.Min(16, m.Hash.Length)]} ({Terminal.Shown(m.ExceptionName)})"))}; give more characters."),
        };
    }

    /// <summary>A duration such as <c>30d</c>, <c>12h</c> or <c>45m</c>.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2
            && int.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount > 0)
        {
            switch (char.ToLowerInvariant(trimmed[^1]))
            {
                case 'd' when amount <= 36_500:
                    return TimeSpan.FromDays(amount);
                case 'h' when amount <= 876_000:
                    return TimeSpan.FromHours(amount);
                case 'm' when amount <= 52_560_000:
                    return TimeSpan.FromMinutes(amount);
            }
        }

        throw new ToolException(ExitCodes.Usage, $"--older-than must be a positive number with a unit d, h or m, such as 30d (was '{text}').");
    }

    private static async IAsyncEnumerable<ErrorRecord> ScanAsync(SqlErrorStore store, ErrorQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, bool showProgress = false)
    {
        var page = 1;
        var seen = 0L;
        while (true)
        {
            var result = await store.ListAsync(query with { Page = page, PageSize = ScanPageSize }, cancellationToken).ConfigureAwait(false);
            foreach (var record in result.Items)
            {
                seen++;
                yield return record;
            }

            if (showProgress && result.TotalCount > ScanPageSize)
            {
                Terminal.ShowProgress(Bar(seen, result.TotalCount) + string.Create(CultureInfo.InvariantCulture, $" reading {seen}/{result.TotalCount} groups"));
            }

            if (!result.HasNext || result.Items.Count == 0)
            {
                yield break;
            }

            page++;
        }
    }

    private static string Bar(long done, long total)
    {
        var filled = total == 0 ? 20 : (int)(20 * done / total);
        return "[" + new string('#', filled) + new string('.', 20 - filled) + "]";
    }

    private static bool HasFilter(ErrorQuery query) =>
        query.Host is not null || query.Method is not null || query.Path is not null || query.ExceptionName is not null || query.Status is not null || query.Search is not null;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
