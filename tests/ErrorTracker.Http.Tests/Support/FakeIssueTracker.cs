using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ErrorTracking.Http.Tests.Support;

/// <summary>An issue the fake tracker holds.</summary>
public sealed class FakeIssue
{
    /// <summary>The issue's number, from 1, per server.</summary>
    public required long Number { get; init; }

    /// <summary>The repository's owner, from the path.</summary>
    public required string Owner { get; init; }

    /// <summary>The repository, from the path.</summary>
    public required string Repository { get; init; }

    /// <summary>The title sent.</summary>
    public required string Title { get; init; }

    /// <summary>The Markdown body sent.</summary>
    public required string Body { get; init; }

    /// <summary>The label names sent.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>The bodies of the comments added, in order.</summary>
    public List<string> Comments { get; } = [];
}

/// <summary>
/// A GitHub-compatible issues API on a real loopback server: <c>POST /repos/{owner}/{repo}/issues</c> and
/// <c>POST /repos/{owner}/{repo}/issues/{number}/comments</c>, under an optional API path such as GitHub
/// Enterprise's <c>/api/v3</c>. It checks the bearer token when given one, records every request, and can fail
/// (<see cref="FailNext"/>, 500 by default) or hang (<see cref="HangNext"/>) the next requests.
/// </summary>
public sealed class FakeIssueTracker : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly string _apiPath;
    private readonly Lock _lock = new();
    private readonly List<FakeIssue> _issues = [];

    private FakeIssueTracker(LoopbackServer server, string apiPath)
    {
        _server = server;
        _apiPath = apiPath;
    }

    /// <summary>What to configure as the ticketing's BaseUrl.</summary>
    public Uri BaseUrl => new(_server.Address, _apiPath.TrimStart('/'));

    /// <summary>Every request received, faults included.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _server.Requests;

    /// <summary>The issues opened so far, in order.</summary>
    public IReadOnlyList<FakeIssue> Issues
    {
        get
        {
            lock (_lock)
            {
                return [.. _issues];
            }
        }
    }

    /// <summary>Starts the fake.</summary>
    /// <param name="token">When given, requests without <c>Authorization: Bearer {token}</c> get 401 Bad credentials.</param>
    /// <param name="apiPath">The API's root path on the server, such as <c>/api/v3</c>; empty for GitHub.com's layout.</param>
    public static async Task<FakeIssueTracker> StartAsync(string? token = null, string apiPath = "")
    {
        FakeIssueTracker? tracker = null;
        var prefix = apiPath.TrimEnd('/');
        var server = await LoopbackServer.StartAsync(endpoints =>
        {
            endpoints.MapPost(prefix + "/repos/{owner}/{repo}/issues", (HttpContext context, string owner, string repo) =>
                tracker!.Authorized(context, token) ?? tracker.OpenIssueAsync(context, owner, repo));
            endpoints.MapPost(prefix + "/repos/{owner}/{repo}/issues/{number:long}/comments", (HttpContext context, string owner, string repo, long number) =>
                tracker!.Authorized(context, token) ?? tracker.CommentAsync(context, owner, repo, number));
        });
        tracker = new FakeIssueTracker(server, prefix + "/");
        return tracker;
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="status"/> (500 by default) and a JSON error holding <paramref name="message"/>.</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.InternalServerError, string message = "Server Error") =>
        _server.FailNext(count, status, message);

    /// <summary>Never answers the next <paramref name="count"/> requests.</summary>
    public void HangNext(int count) => _server.HangNext(count);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static Task<IResult>? Unauthorized() => Task.FromResult(Results.Json(new { message = "Bad credentials" }, statusCode: StatusCodes.Status401Unauthorized));

    private Task<IResult>? Authorized(HttpContext context, string? token) =>
        token is null || context.Request.Headers.Authorization == $"Bearer {token}" ? null : Unauthorized();

    private async Task<IResult> OpenIssueAsync(HttpContext context, string owner, string repo)
    {
        using var json = await JsonDocument.ParseAsync(context.Request.Body);
        var root = json.RootElement;
        if (!root.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String)
        {
            return Results.Json(new { message = "Validation Failed" }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        FakeIssue issue;
        lock (_lock)
        {
            issue = new FakeIssue
            {
                Number = _issues.Count + 1,
                Owner = owner,
                Repository = repo,
                Title = title.GetString()!,
                Body = root.TryGetProperty("body", out var body) ? body.GetString() ?? "" : "",
                Labels = root.TryGetProperty("labels", out var labels) ? [.. labels.EnumerateArray().Select(l => l.GetString()!)] : [],
            };
            _issues.Add(issue);
        }

        return Results.Json(
            new
            {
                id = 1_000 + issue.Number,
                number = issue.Number,
                title = issue.Title,
                body = issue.Body,
                labels = issue.Labels.Select(name => new { name }),
                html_url = $"{_server.Address}{owner}/{repo}/issues/{issue.Number}",
            },
            statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> CommentAsync(HttpContext context, string owner, string repo, long number)
    {
        using var json = await JsonDocument.ParseAsync(context.Request.Body);
        var body = json.RootElement.TryGetProperty("body", out var value) ? value.GetString() : null;
        lock (_lock)
        {
            var issue = _issues.FirstOrDefault(i => i.Number == number && i.Owner == owner && i.Repository == repo);
            if (issue is null)
            {
                return Results.Json(new { message = "Not Found" }, statusCode: StatusCodes.Status404NotFound);
            }

            issue.Comments.Add(body ?? "");
            return Results.Json(new { id = 5_000 + issue.Comments.Count, body }, statusCode: StatusCodes.Status201Created);
        }
    }
}
