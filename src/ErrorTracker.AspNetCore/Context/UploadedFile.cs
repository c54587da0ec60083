using Microsoft.AspNetCore.Http;

namespace ErrorTracking.AspNetCore;

/// <summary>What is shown of an uploaded file: never its contents.</summary>
/// <param name="Name">The form field.</param>
/// <param name="FileName">The file name the client sent.</param>
/// <param name="ContentType">The content type the client sent.</param>
/// <param name="Length">The size in bytes.</param>
internal sealed record UploadedFile(string Name, string FileName, string ContentType, long Length)
{
    public static UploadedFile Of(IFormFile file) => new(file.Name, file.FileName, file.ContentType, file.Length);
}
