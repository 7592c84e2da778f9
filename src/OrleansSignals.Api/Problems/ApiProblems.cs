using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Problems;

/// <summary>RFC 7807 problem results used across the API.</summary>
public static class ApiProblems
{
    /// <summary>
    /// 400 naming each bad field. Without a <paramref name="detail"/>, the API's route filter words it by the method
    /// (<see cref="Input.StrictQuery.ReadOrWrite"/>): a write says nothing was changed, a read says nothing was read.
    /// </summary>
    public static ValidationProblem Invalid(IEnumerable<FieldError> errors, string? detail = null) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: detail,
            title: "The request is invalid.");

    public static ValidationProblem Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.");
}
