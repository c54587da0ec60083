namespace ErrorTracking.Masking;

/// <summary>
/// What one pass over a text found, for the detectors without a literal prefix to decide cheaply whether their
/// secret can be in it at all.
/// </summary>
/// <param name="DigitRun">The most digits in one run of digits that single spaces or dashes may separate (a card, an SSN).</param>
/// <param name="HexRun">The longest run of lower-case hexadecimal digits.</param>
/// <param name="Base64Run">The longest run of base64 characters, percent escapes included.</param>
/// <param name="CountryCodeThenDigits">Whether two capital letters followed by two digits occur (an IBAN's start).</param>
internal readonly record struct TextSurvey(int DigitRun, int HexRun, int Base64Run, bool CountryCodeThenDigits);

/// <summary>
/// A built-in detector's pre-filter beyond its hints: <see cref="Admits"/> says from a text's survey whether its
/// pattern can match, and with <see cref="HintsAtTokenStart"/> its hints are only looked for where a token starts
/// (not after a letter, digit or underscore), as its pattern requires.
/// </summary>
internal readonly record struct DetectorGate(Func<TextSurvey, bool>? Admits = null, bool HintsAtTokenStart = false);
