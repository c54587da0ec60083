namespace ErrorTracking.Http.Configuration;

/// <summary>
/// The checks the integrations' validators share; each adds a message naming the configuration key. A message
/// may quote a header's name, never a header's value, a token or an address (a webhook's address is often its secret).
/// </summary>
internal static class OptionChecks
{
    /// <summary>The longest timeout HttpClient accepts.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    public static void Required(List<string> failures, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required.");
        }
    }

    /// <remarks>The address is not quoted: a webhook's address is often its secret.</remarks>
    public static void HttpAddress(List<string> failures, string key, Uri? address)
    {
        if (address is null)
        {
            failures.Add($"{key} is required: an absolute http or https address.");
        }
        else if (!address.IsAbsoluteUri)
        {
            failures.Add($"{key} must be an absolute http or https address (it is relative).");
        }
        else if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{key} must be an absolute http or https address (its scheme is '{address.Scheme}').");
        }
        else if (address.UserInfo.Length > 0)
        {
            failures.Add($"{key} must not carry credentials in the address; send them in a header instead.");
        }
    }

    public static void Headers(List<string> failures, string key, IDictionary<string, string>? headers)
    {
        if (headers is null)
        {
            failures.Add($"{key} must not be null.");
            return;
        }

        using var probe = new HttpRequestMessage();
        foreach (var (name, value) in headers)
        {
            // The request's own header collection knows which names are valid and which belong to the content
            // (Content-Type is the payload's, set by the integration).
            if (string.IsNullOrWhiteSpace(name) || !probe.Headers.TryAddWithoutValidation(name, "probe"))
            {
                failures.Add($"{key}:{name} is not a request header that can be set (content headers such as Content-Type are set by the integration).");
            }
            else if (value is null || value.Any(c => c is '\r' or '\n' or '\0'))
            {
                failures.Add($"{key}:{name} must have a value on one line.");
            }
        }
    }

    public static void Timeout(List<string> failures, string key, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
        {
            failures.Add($"{key} must be longer than zero and shorter than {MaxTimeout.Days} days (was {timeout}).");
        }
    }
}
