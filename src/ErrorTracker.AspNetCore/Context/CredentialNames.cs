using Microsoft.AspNetCore.Antiforgery;

namespace ErrorTracking.AspNetCore;

/// <summary>
/// The request fields that carry credentials, masked whatever the masking rule says: the authorization and cookie
/// headers and the antiforgery token, under its default names and under those the application configured.
/// </summary>
internal sealed class CredentialNames
{
    private const string DefaultAntiforgeryField = "__RequestVerificationToken";

    private readonly HashSet<string> _headers = new(
        ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-XSRF-TOKEN", "RequestVerificationToken"],
        StringComparer.OrdinalIgnoreCase);

    // Form field names are case-insensitive, as ASP.NET Core reads them.
    private readonly HashSet<string> _formFields = new([DefaultAntiforgeryField], StringComparer.OrdinalIgnoreCase);

    public CredentialNames(AntiforgeryOptions antiforgery)
    {
        _formFields.Add(antiforgery.FormFieldName);
        if (antiforgery.HeaderName is { } header)
        {
            _headers.Add(header);
        }
    }

    public bool IsHeader(string name) => _headers.Contains(name);

    public bool IsFormField(string name) => _formFields.Contains(name);
}
