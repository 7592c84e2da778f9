namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// A HogQL query as PostHog's query API takes it: the text, and the constants it refers to as <c>{name}</c>
/// placeholders (<c>HogQLQuery.values</c>), which PostHog parses as constants: no value is ever spliced into the text.
/// </summary>
public sealed record HogQLQuery(string Query, IReadOnlyDictionary<string, object> Values);
