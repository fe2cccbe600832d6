using System.Security.Cryptography;
using System.Text;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// The receiver's side of the Standard Webhooks specification, written from the specification and not from
/// PbxHub's code: the signed content is <c>msg_id.timestamp.payload</c>, the key is the base64 after
/// <c>whsec_</c>, and the header holds space-separated <c>v1,&lt;base64 HMAC-SHA256&gt;</c> entries.
/// </summary>
internal static class StandardWebhooksVerifier
{
    public static bool Verify(string secret, ReceivedWebhook webhook)
    {
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signedContent = Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.").Concat(webhook.Body).ToArray();
        using var hmac = new HMACSHA256(key);
        var expected = Convert.ToBase64String(hmac.ComputeHash(signedContent));
        return webhook.Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split(',', 2))
            .Any(p => p.Length == 2 && p[0] == "v1" && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(p[1]), Encoding.ASCII.GetBytes(expected)));
    }
}
