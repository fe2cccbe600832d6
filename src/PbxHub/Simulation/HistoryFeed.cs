using System.Net.Http.Json;
using PbxHub.Calls;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Simulation;

/// <summary>
/// Gives a provider's history stand-in the calls of a run (<c>--history</c>): every generated call, those whose
/// events are dropped on purpose too, as <see cref="HistoryCall"/>s posted to <c>/_emulator/history</c> (docs/simulate.md).
/// </summary>
internal sealed class HistoryFeed(HttpClient http, string standIn)
{
    /// <summary>Keeps each request small enough for any stand-in's body limit.</summary>
    private const int Batch = 500;

    public Uri Endpoint { get; } = new(standIn.TrimEnd('/') + "/_emulator/history");

    /// <summary>The number of calls posted; a problem, in words, when the stand-in refused or could not be reached.</summary>
    public async Task<(int Posted, string? Problem)> PostAsync(IReadOnlyList<HistoryCall> calls, CancellationToken ct)
    {
        var posted = 0;
        foreach (var batch in calls.Chunk(Batch))
        {
            try
            {
                using var response = await http.PostAsJsonAsync(Endpoint, batch, CallJson.Options, ct);
                if (!response.IsSuccessStatusCode)
                {
                    return (posted, $"POST {Endpoint} answered HTTP {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync(ct))}");
                }
            }
            catch (HttpRequestException ex)
            {
                return (posted, $"POST {Endpoint} failed: {ex.Message}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return (posted, $"POST {Endpoint} timed out");
            }

            posted += batch.Length;
        }

        return (posted, null);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
