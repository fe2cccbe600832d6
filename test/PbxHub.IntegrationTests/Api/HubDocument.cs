using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace PbxHub.IntegrationTests.Api;

/// <summary>The hub's OpenAPI document as a client gets it: anonymously, from <c>/openapi/v1.json</c>.</summary>
internal static class HubDocument
{
    public static async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic, string Text)> ReadAsync(string baseUrl)
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var text = await anonymous.GetStringAsync("/openapi/v1.json");
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var result = await OpenApiDocument.LoadAsync(stream, OpenApiConstants.Json);
        return (result.Document!, result.Diagnostic!, text);
    }

    /// <summary>The schema of one answer of one operation.</summary>
    public static IOpenApiSchema Answer(this OpenApiDocument document, string path, HttpMethod method, string status, string contentType) =>
        document.Paths[path].Operations![method].Responses![status].Content![contentType].Schema!;
}
