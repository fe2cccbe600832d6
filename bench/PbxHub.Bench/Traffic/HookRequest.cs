namespace PbxHub.Bench.Traffic;

/// <summary>One Sipuni hook: URL-encoded parameters, sent as the query string (GET) or a form body (POST).</summary>
internal sealed record HookRequest(bool Post, string Parameters);
