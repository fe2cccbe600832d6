using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using PbxHub.Storage;

namespace PbxHub.Security;

/// <summary>
/// The key ring in the hub's database (<c>PbxHub:Security:KeyRing=database</c>): every node sees the keys the
/// others create without a shared folder. Each key's XML is encrypted with the configured certificate before it
/// gets here (Data Protection does that), so the database alone does not hold what decrypts its secrets.
/// </summary>
internal sealed class DatabaseKeyRing(ISqlDatabase database, TimeProvider time) : IXmlRepository
{
    // Data Protection asks synchronously, rarely (at the first use and about once a day), and never on a
    // context that a blocking wait could deadlock; the work runs on the pool so nothing waits on itself.
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name");
        return (IReadOnlyCollection<XElement>)rows.Select(x => XElement.Parse(x)).ToList();
    }).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => Task.Run(() => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @createdAt)",
            new
            {
                // Names are unique per key; a revocation's carries its time: a random tail keeps two apart anyway.
                name = $"{friendlyName}-{Guid.NewGuid():n}",
                xml = element.ToString(SaveOptions.DisableFormatting),
                createdAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            tx),
        CancellationToken.None)).GetAwaiter().GetResult();
}
