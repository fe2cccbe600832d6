using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PbxHub.Calls;

namespace PbxHub.Api;

/// <summary>
/// Adds what the hub POSTs to subscribers to the OpenAPI 3.1 document's <c>webhooks</c>: one entry per
/// event type, each carrying the normalised event (docs/events.md, docs/webhooks.md).
/// </summary>
internal sealed class WebhooksDocument : IOpenApiDocumentTransformer
{
    private const string EventSchema = nameof(CallEvent);

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas?.ContainsKey(EventSchema) != true)
        {
            document.AddComponent(EventSchema, await context.GetOrCreateSchemaAsync(typeof(CallEvent), null, cancellationToken));
        }

        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var type in CallEventTypes.All)
        {
            document.Webhooks[type] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = Delivery(type, document) },
            };
        }
    }

    private static OpenApiOperation Delivery(string type, OpenApiDocument document) => new()
    {
        OperationId = "Webhook_" + type.Replace('.', '_'),
        Summary = $"The hub POSTs a '{type}' event to each subscription that wants it",
        Description = "Signed with the webhook-id, webhook-timestamp and webhook-signature headers (docs/webhooks.md). "
            + "Only a 2xx answer counts as delivered; anything else is retried.",
        Tags = new HashSet<OpenApiTagReference> { new("Webhooks", document) },
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(EventSchema, document) },
            },
        },
        Responses = new OpenApiResponses { ["2XX"] = new OpenApiResponse { Description = "Delivered." } },
    };
}
