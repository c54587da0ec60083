namespace ErrorTracking.Samples.Web;

/// <summary>The sample's own pages: fixed markup, nothing from the request in them.</summary>
internal static class SamplePages
{
    public const string Home = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>ErrorTracker web sample</title>
          <link rel="stylesheet" href="/sample.css">
          <script src="/sample.js" defer></script>
        </head>
        <body>
          <h1>ErrorTracker web sample</h1>
          <p>Each of these fails in its own way. Then open <a href="/dev/error/">the dashboard at /dev/error</a>
             (open to requests from this machine only).</p>
          <ol>
            <li><a id="value-error" href="/orders/forty-two?quantity=3">A value error</a>: the order id is not a number.</li>
            <li>
              A form whose fields include a password (masked before it is stored):
              <form id="login" method="post" action="/login">
                <input name="username" value="alice" aria-label="User name">
                <input name="password" type="password" value="correct horse battery staple" aria-label="Password">
                <button type="submit">Sign in</button>
              </form>
            </li>
            <li>A JSON POST with a nested secret: <button id="pay" type="button">Pay 25 EUR</button> <span id="pay-result"></span></li>
            <li><a id="async-error" href="/reports/monthly?currency=CHF">An async failure deep in a service</a>.</li>
            <li><a id="not-found" href="/no/such/page">A 404</a>, recorded because the sample tracks it.</li>
          </ol>
        </body>
        </html>
        """;

    public const string Failed = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Something went wrong</title><link rel="stylesheet" href="/sample.css"></head>
        <body>
          <h1>Something went wrong</h1>
          <p>The error was recorded: see <a href="/dev/error/">the dashboard</a>, or go back <a href="/">home</a>.</p>
        </body>
        </html>
        """;

    public const string Script = """
        'use strict';
        document.addEventListener('DOMContentLoaded', () => {
          const button = document.getElementById('pay');
          const result = document.getElementById('pay-result');
          button.addEventListener('click', async () => {
            const payment = {
              amount: 25,
              currency: 'EUR',
              card: { holder: 'Alice Example', number: '4111 1111 1111 1111', cvv: '737' },
              apiKey: 'sk_live_sample_4f7a9c'
            };
            const response = await fetch('/api/payments', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(payment)
            });
            result.textContent = `answered ${response.status}: recorded, see the dashboard`;
          });
        });
        """;

    public const string Style = """
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 760px; margin: 40px auto; padding: 0 16px; }
        li { margin: 10px 0; }
        form { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 6px; }
        input, button { font: inherit; padding: 4px 8px; }
        """;
}
