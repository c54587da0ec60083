using ErrorTracking.AspNetCore.Security;
using ErrorTracking.Samples.Web;
using Microsoft.AspNetCore.Mvc;

// The ErrorTracker web sample: a few routes that fail in different ways, and the dashboard at /dev/error.
// Run it with `dotnet run --project samples/ErrorTracker.Samples.Web`, then open http://127.0.0.1:5000.
// The content root is the build output, so appsettings.json is found from whichever folder it is started.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services.AddErrorTracker(builder.Configuration.GetSection("ErrorTracker"))
    .UseSqlite(builder.Configuration.GetConnectionString("Errors") ?? "Data Source=errors.db")
    // Idle until configured: ErrorTracker__Smtp__Host and ErrorTracker__SendNotification=true turn mail on (see the README).
    .AddSmtpNotifier(builder.Configuration.GetSection("ErrorTracker:Smtp"))
    // Only requests from this machine may see the dashboard: fine for development, never behind a proxy.
    .UseViewPermission<LoopbackPermission>();
builder.Services.AddSingleton<ReportService>();

var app = builder.Build();

app.UseExceptionHandler(handler => handler.Run(async context =>
{
    context.Response.ContentType = "text/html; charset=utf-8";
    await context.Response.WriteAsync(SamplePages.Failed);
}));
app.UseStatusCodePages();

// For the load scripts in bench/ only: ERRORTRACKER_SAMPLE_BENCH=untracked leaves the middleware out, to measure what it
// costs a request; with any value, /bench/stats returns the tracker's statistics. Unset, the sample is as documented.
var bench = Environment.GetEnvironmentVariable("ERRORTRACKER_SAMPLE_BENCH");
if (bench != "untracked")
{
    app.UseErrorTracker();
}

if (!string.IsNullOrEmpty(bench))
{
    app.MapGet("/bench/stats", (ErrorTracking.IErrorTracker tracker) => tracker.Statistics);
}

app.MapGet("/", () => Results.Content(SamplePages.Home, "text/html; charset=utf-8"));
app.MapGet("/sample.js", () => Results.Content(SamplePages.Script, "text/javascript; charset=utf-8"));
app.MapGet("/sample.css", () => Results.Content(SamplePages.Style, "text/css; charset=utf-8"));

// Browsers ask for it by themselves; without this every page view would record a 404.
app.MapGet("/favicon.ico", () => Results.NoContent());

// The failing routes, with their arguments recorded under the handler's frame when they fail.
var routes = app.MapGroup("").CaptureArguments();

// A value error: the id is parsed from the route as text.
routes.MapGet("/orders/{id}", (string id, int quantity = 1) =>
{
    var orderNumber = int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
    return Results.Ok(new { orderNumber, quantity });
});

// A form whose fields include a password: the tracker masks it before anything is stored.
routes.MapPost("/login", IResult ([FromForm] string username, [FromForm] string password) =>
    throw new UnauthorizedAccessException($"The account '{username}' is locked after too many attempts."))
    .DisableAntiforgery();

// A JSON body with a nested secret.
routes.MapPost("/api/payments", (Payment payment) =>
    payment.Amount <= 0
        ? Results.BadRequest()
        : throw new InvalidOperationException($"The payment provider refused {payment.Amount} {payment.Currency}: card declined."));

// An async failure a few awaits deep in a service.
routes.MapGet("/reports/monthly", async (ReportService reports, string currency = "CHF", int month = 11) =>
    Results.Ok(await reports.MonthlyTotalAsync(currency, month)));

app.MapErrorTracker();

app.Run();
