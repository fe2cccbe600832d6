using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>What a user may do to connectors, the same through the API and the command line (docs/connectors.md#api).</summary>
internal sealed partial class ConnectorAdmin(
    ConnectorDirectory directory, ConnectorSubscriptions rows, ISubscriptionStore subscriptions, ConnectorStore store, ConnectorCatalog catalog,
    IServiceProvider services, ILogger<ConnectorAdmin> logger)
{
    public enum Change
    {
        Done,
        Invalid,
        Exists,
        Unknown,
        Declared,
    }

    /// <summary>Stores the connector and gives it its outbox row; <see cref="Change.Invalid"/> comes with the problems.</summary>
    public async Task<(Change Result, IReadOnlyList<string> Problems)> CreateAsync(ConnectorOptions connector, CancellationToken ct)
    {
        if (directory.Problems(connector) is { Count: > 0 } problems)
        {
            return (Change.Invalid, problems);
        }

        if (!await directory.AddAsync(connector, ct))
        {
            return (Change.Exists, []);
        }

        await rows.AddRowAsync(connector, ct);
        return (Change.Done, []);
    }

    /// <summary>Removes a connector created through the API with everything it kept; a declared one stays.</summary>
    public async Task<Change> DeleteAsync(string id, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is not { } connector)
        {
            return Change.Unknown;
        }

        if (connector.Source == ConnectorSources.Configuration)
        {
            return Change.Declared;
        }

        // While its secrets are still kept: the CRM may need them to be told.
        await UndoInTheCrmAsync(connector, ct);

        // Its outbox row and deliveries first: no delivery may outlive the connector it was for.
        await subscriptions.RemoveAsync(ConnectorSubscriptions.SubscriptionIdOf(id), ct);
        await store.ForgetAsync(id, ct);
        await directory.RemoveAsync(id, ct);
        return Change.Done;
    }

    /// <summary>Reads the CRM's users and keeps them as the imported mapping; null when there is no such connector.</summary>
    public async Task<EmployeeImport?> ImportEmployeesAsync(string id, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is not { } connector || catalog.Find(connector.Crm) is not { } crm)
        {
            return null;
        }

        var import = await ((ICrmConnector)services.GetRequiredService(crm.Connector)).ImportEmployeesAsync(connector, ct);
        if (import.Problem is null)
        {
            await directory.SaveImportedAsync(id, import.Employees, ct);
        }

        return import;
    }

    private async Task UndoInTheCrmAsync(ConnectorOptions connector, CancellationToken ct)
    {
        if (catalog.Find(connector.Crm) is not { } crm)
        {
            return;
        }

        string? problem;
        try
        {
            problem = await ((ICrmConnector)services.GetRequiredService(crm.Connector)).RemovedAsync(connector, ct);
        }
        catch (HttpRequestException e)
        {
            problem = e.Message;
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            problem = e.Message;
        }

        if (problem is not null)
        {
            LogUndoFailed(logger, connector.Id, connector.Crm, problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {ConnectorId} removed, but {Crm} was not told: {Problem}. Undo it in the CRM by hand.")]
    private static partial void LogUndoFailed(ILogger logger, string connectorId, string crm, string problem);
}
