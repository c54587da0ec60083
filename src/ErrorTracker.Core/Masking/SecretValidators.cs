using System.Buffers.Text;
using System.Collections.Frozen;
using System.Text.Json;

namespace ErrorTracking.Masking;

/// <summary>Checks that confirm a pattern's match is the secret it looks like: checksums and decodable parts.</summary>
internal static class SecretValidators
{
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    // ISO 13616: the length of an IBAN in each country that issues them.
    private static readonly FrozenDictionary<string, int> IbanLengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DJ"] = 27,
        ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FK"] = 18, ["FO"] = 18, ["FR"] = 27,
        ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22,
        ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32,
        ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19,
        ["MN"] = 20, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24, ["SC"] = 31,
        ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23,
        ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20, ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool HasDigit(string match) => match.AsSpan().IndexOfAnyInRange('0', '9') >= 0;

    /// <summary>Random tokens mix cases and digits; words and identifiers of the same length rarely do.</summary>
    public static bool IsMixedToken(string match) =>
        HasDigit(match) && match.AsSpan().IndexOfAnyInRange('a', 'z') >= 0 && match.AsSpan().IndexOfAnyInRange('A', 'Z') >= 0;

    /// <summary>
    /// Base64 of random bytes (a cloud key), not of text: every fourth character of base64-encoded ASCII falls in the
    /// alphabet's first half (its byte's high bits are zero), which random bytes do by chance once in 2^(length/4).
    /// </summary>
    public static bool IsRandomBase64(string match)
    {
        if (match.Contains('%', StringComparison.Ordinal))
        {
            match = Uri.UnescapeDataString(match);
        }

        if (!IsMixedToken(match) || match.Count(char.IsAsciiDigit) < 2)
        {
            return false;
        }

        for (var i = 0; i < match.Length; i += 4)
        {
            if (Base64Alphabet.IndexOf(match[i], StringComparison.Ordinal) >= 32)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A JSON Web Token: its first part decodes (base64url) to a JSON object, the header.</summary>
    public static bool IsJwt(string match)
    {
        var header = match.AsSpan(0, match.IndexOf('.', StringComparison.Ordinal));
        Span<byte> decoded = stackalloc byte[Base64Url.GetMaxDecodedLength(header.Length)];
        if (!Base64Url.TryDecodeFromChars(header, decoded, out var written))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(decoded[..written]);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A card number: an issuer's prefix and length, and a valid Luhn check digit.</summary>
    public static bool IsPaymentCard(string match)
    {
        Span<char> digits = stackalloc char[19];
        var count = 0;
        var separator = '\0';
        foreach (var c in match)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return false;
                }

                digits[count++] = c;
            }
            else if (separator == '\0')
            {
                separator = c;
            }
            else if (separator != c)
            {
                return false;
            }
        }

        return count >= 13 && IsIssuerPrefix(digits[..count]) && PassesLuhn(digits[..count]);
    }

    private static bool IsIssuerPrefix(ReadOnlySpan<char> number)
    {
        var length = number.Length;
        var two = (number[0] - '0') * 10 + (number[1] - '0');
        var four = two * 100 + (number[2] - '0') * 10 + (number[3] - '0');
        return number[0] switch
        {
            '4' => length is 13 or 16 or 19,                                                    // Visa
            '5' => two is >= 51 and <= 55 && length == 16,                                       // Mastercard
            '2' => four is >= 2221 and <= 2720 && length == 16,                                  // Mastercard 2-series
            '3' => (two is 34 or 37 && length == 15)                                             // American Express
                || (four is >= 3528 and <= 3589 && length >= 16)                                 // JCB
                || (two is 30 or 36 or 38 or 39 && length >= 14),                                // Diners Club
            '6' => length >= 16 && (four == 6011 || two is 62 or 64 or 65),                       // Discover, UnionPay
            _ => false,
        };
    }

    private static bool PassesLuhn(ReadOnlySpan<char> number)
    {
        var sum = 0;
        for (var i = 0; i < number.Length; i++)
        {
            var digit = number[number.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    /// <summary>An IBAN: a country that issues them, that country's length, and the ISO 7064 mod-97 check.</summary>
    public static bool IsIban(string match)
    {
        Span<char> compact = stackalloc char[match.Length];
        var count = 0;
        foreach (var c in match)
        {
            if (c != ' ')
            {
                compact[count++] = c;
            }
        }

        // A printed IBAN may run into the next word: its country's length decides where it ends.
        if (!IbanLengths.TryGetValue(new string(compact[..2]), out var length) || count < length)
        {
            return false;
        }

        var iban = compact[..length];
        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = iban[(i + 4) % length];
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }

        return remainder == 1;
    }
}
