using PbxHub.Providers;

namespace PbxHub.Reconciliation;

/// <summary>The providers' history readers, looked up by provider name; a provider without one cannot be reconciled.</summary>
internal sealed class HistoryRegistry(IEnumerable<IHistoryReader> readers) : NamedRegistry<IHistoryReader>(readers, r => r.Provider);
