using OrleansSignals.Grains;

namespace OrleansSignals.Enrichment.Upload;

/// <summary>An upload that was refused; nothing of it was stored. <see cref="TooLarge"/> means 413, otherwise 400.</summary>
public sealed class StagingException(IReadOnlyList<FieldError> errors, bool tooLarge = false)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public bool TooLarge { get; } = tooLarge;

    public StagingException(string field, string message, bool tooLarge = false) : this([new FieldError(field, message)], tooLarge) { }
}
