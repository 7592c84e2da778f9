namespace OrleansSignals.Enrichment.Batches;

/// <summary>One item's step to run: the request body sent to the provider and the attempts recorded so far.</summary>
public sealed record WorkItem(long ItemId, int Line, int PriorAttempts, string Body);
