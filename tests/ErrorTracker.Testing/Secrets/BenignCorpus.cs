using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ErrorTracking.Testing.Secrets;

/// <summary>
/// Ordinary strings an error tracker is full of, none of them a secret: hashes (the tracker's own group hashes),
/// GUIDs, trace and span ids, versions, dates and times, timestamps, order and invoice numbers, phone numbers, paths,
/// URLs without credentials, .NET type and method names, stack frames, log lines and base64 of ordinary short data.
/// </summary>
public static class BenignCorpus
{
    private static readonly string[] Words =
        ["order", "invoice", "customer", "shipment", "payment", "refund", "basket", "warehouse", "report", "export", "import", "account"];

    /// <summary>Every sample, with its kind; more than 500.</summary>
    public static IReadOnlyList<(string Kind, string Text)> Samples(int seed = 20_261_204)
    {
        var random = new Random(seed);
        var samples = new List<(string, string)>();
        void Add(string kind, string text) => samples.Add((kind, text));
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[32];
            random.NextBytes(bytes);
            Add("sha-256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
            // SHA-1's shape (40 hex digits), as git commits and older hashes have it; not used as cryptography.
            Add("sha-1", Convert.ToHexStringLower(bytes[..20]));
            Add("sha-1 upper", Convert.ToHexString(bytes[12..]));
            Add("guid", new Guid(bytes[..16]).ToString());
            Add("guid n", new Guid(bytes[16..]).ToString("N"));
            var trace = Convert.ToHexStringLower(bytes[..16]);
            var span = Convert.ToHexStringLower(bytes[16..24]);
            Add("traceparent", $"00-{trace}-{span}-01");
            Add("span id", span);
            Add("version", $"{random.Next(0, 20)}.{random.Next(0, 50)}.{random.Next(0, 300)}" + (i % 3 == 0 ? $"-preview.{random.Next(1, 9)}.{random.Next(20000, 26000)}.{random.Next(1, 20)}" : i % 3 == 1 ? $"+{Convert.ToHexStringLower(bytes[..20])}" : ""));
            var time = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(0, 200_000_000));
            Add("iso time", time.ToString("O", CultureInfo.InvariantCulture));
            Add("iso date", time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
            Add("unix seconds", time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            Add("unix milliseconds", time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            Add("order number", $"ORD-{time.Year}-{random.Next(0, 999_999):000000}");
            Add("invoice number", $"INV{random.Next(10_000_000, 99_999_999)}");
            Add("phone", NonLuhnDigits(random, i));
            Add("path", $"/var/app/{Words[i % Words.Length]}s/{time:yyyy/MM/dd}/{Words[(i + 3) % Words.Length]}-{random.Next(1, 99_999)}.json");
            Add("windows path", $@"C:\inetpub\{Words[i % Words.Length]}\bin\Release\net10.0\Shop.{Words[(i + 1) % Words.Length]}.dll");
            Add("url", $"https://shop.example.com/{Words[i % Words.Length]}s/{random.Next(1, 1_000_000)}?page={random.Next(1, 50)}&sort=created_at&culture=tr-TR");
            Add("type name", $"Shop.{Words[i % Words.Length]}s.{char.ToUpperInvariant(Words[(i + 2) % Words.Length][0])}{Words[(i + 2) % Words.Length][1..]}Service`1[[System.Int32, System.Private.CoreLib]]");
            Add("frame", $"   at Shop.Checkout.{char.ToUpperInvariant(Words[i % Words.Length][0])}{Words[i % Words.Length][1..]}Handler.<HandleAsync>d__{i}.MoveNext() in /src/Shop/Checkout/Handler.cs:line {random.Next(10, 900)}");
            Add("log line", $"{time:yyyy-MM-dd HH:mm:ss.fff} [INF] Processed {Words[i % Words.Length]} {random.Next(1, 100_000)} for customer {random.Next(1, 100_000)} in {random.Next(1, 900)} ms (attempt {random.Next(1, 4)}/3)");
            Add("base64 of text", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Words[i % Words.Length]}:{random.Next(1, 100_000)} {Words[(i + 5) % Words.Length]} shipped")));
        }

        foreach (var fixedSample in Fixed)
        {
            Add("fixed", fixedSample);
        }

        return samples;
    }

    private static readonly string[] Fixed =
    [
        "System.InvalidOperationException: Sequence contains no elements",
        "Microsoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes.",
        "at System.Linq.ThrowHelper.ThrowNoElementsException()",
        "GET /api/orders/42 HTTP/1.1",
        "Order 1000457 for 3 items totalling 129.95 EUR",
        "The SKU ABC-12345-XL is out of stock",
        "ErrorTracking.Capture.EventCapturer.Capture(Exception exception, Object variables)",
        "Connection id \"0HN8K6E1SE2G7\", Request id \"0HN8K6E1SE2G7:00000001\"",
        "Now listening on: http://127.0.0.1:5000",
        "Press Ctrl+C to shut down.",
        "Value cannot be null. (Parameter 'customerId')",
        "Unable to resolve service for type 'Shop.IOrderRepository' while attempting to activate 'Shop.OrdersController'.",
        "Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool.",
        "HTTP/1.1 503 Service Unavailable",
        "+1 (415) 555-0132",
        "+44 20 7946 0958",
        "Build 20261204.7 of main (a1b2c3d)",
        "ExceptionDispatchInfo.Throw()",
        "SELECT \"o\".\"Id\", \"o\".\"Total\" FROM \"Orders\" AS \"o\" WHERE \"o\".\"CustomerId\" = @__id_0",
        "lambda_method10(Closure, Object, HttpContext)",
        "Shop.Api.Program+<>c__DisplayClass0_0.<<Main>$>b__3(NewUser input, ShopDb db)",
        "The JSON value could not be converted to System.Int32. Path: $.quantity | LineNumber: 0 | BytePositionInLine: 15.",
        "Tracking number 1Z999AA10123456784",
        "ISBN 978-3-16-148410-0",
        "Color #FF5733, size 1920x1080",
        "Retrying in 00:00:05.0000000 (attempt 3 of 5)",
    ];

    // Digit runs shaped like phone and account numbers whose Luhn check fails, so no card detector may take them.
    private static string NonLuhnDigits(Random random, int i)
    {
        while (true)
        {
            var digits = string.Concat(Enumerable.Range(0, 13 + i % 7).Select(_ => (char)('0' + random.Next(10))));
            if (!PassesLuhn(digits))
            {
                return i % 2 == 0 ? digits : string.Join(" ", digits.Chunk(4).Select(g => new string(g)));
            }
        }
    }

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            sum += i % 2 == 1 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit;
        }

        return sum % 10 == 0;
    }
}
