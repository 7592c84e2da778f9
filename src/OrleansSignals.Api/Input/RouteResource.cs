namespace OrleansSignals.Api.Input;

/// <summary>
/// Endpoint metadata: what the route parameter <see cref="Parameter"/> names (<c>id</c> → "webhook endpoint"). A value
/// that cannot be such an id (<c>/api/webhooks/x</c>) then answers 404 "No webhook endpoint 'x'." like an id that
/// is well-formed but unknown, instead of "No such route" (see <see cref="Problems.BadRequestExceptionHandler"/>).
/// </summary>
public sealed record RouteResource(string Parameter, string Noun);
