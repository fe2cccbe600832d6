using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace PbxHub.Recordings;

/// <summary>
/// Signed, expiring links to a recording (<c>/recordings/{token}</c>) for players and CRMs that cannot send an API key.
/// The token is the call id and its expiry, protected with the hub's Data Protection key ring (shared by the nodes
/// that share it, see docs/deployment.md), so it can neither be forged nor pointed at another call.
/// </summary>
internal sealed class RecordingLinks(IDataProtectionProvider protection, IOptions<RecordingsOptions> options, TimeProvider time)
{
    private readonly IDataProtector protector = protection.CreateProtector("PbxHub.RecordingLinks.v1");

    /// <summary>A link to <paramref name="callId"/>'s recording that works for <paramref name="lifetime"/>, else <c>LinkLifetime</c>.</summary>
    public (string Path, DateTimeOffset ExpiresAt) Create(string callId, TimeSpan? lifetime = null)
    {
        var expires = time.GetUtcNow() + (lifetime ?? options.Value.LinkLifetime);
        var token = protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{callId}\n{expires.ToUnixTimeSeconds()}"));
        return ($"/recordings/{token}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The call a token names; null when it is not one of ours or has expired.</summary>
    public string? Read(string token)
    {
        string text;
        try
        {
            text = protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = text.Split('\n');
        return parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && time.GetUtcNow().ToUnixTimeSeconds() < expires ? parts[0] : null;
    }
}
