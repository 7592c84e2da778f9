using System.Globalization;
using System.Text.RegularExpressions;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Runs;
using OrleansSignals.Exports.Schedules;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Exports;

/// <summary>Checks export and schedule requests; every error names its field and, for names, the allowed values.</summary>
public static partial class ExportRequestValidator
{
    private const int MaxTraits = 50;

    public static (ExportRunSpec? Spec, List<FieldError> Errors) Validate(ExportRequest request, ExportDatasets datasets, ExportDestinations destinations, bool ranged = true)
    {
        var errors = new List<FieldError>();
        var dataset = datasets.Find(request.Dataset);
        if (dataset is null)
            errors.Add(new("dataset", $"{Quote(request.Dataset)} is not a dataset; allowed: {string.Join(", ", datasets.Names)}"));
        if (!ExportFormats.TryParseFormat(request.Format, out var format))
            errors.Add(new("format", $"{Quote(request.Format)} is not a format; allowed: {string.Join(", ", ExportFormats.FormatNames)}"));
        var compressionName = request.Compression ?? "none";
        if (!ExportFormats.TryParseCompression(compressionName, out _))
            errors.Add(new("compression", $"{Quote(compressionName)} is not a compression; allowed: {string.Join(", ", ExportFormats.CompressionNames)}"));
        else if (format >= 0 && !ExportFormats.CompressionsFor(format).Contains(compressionName))
            errors.Add(new("compression", $"{Quote(compressionName)} does not apply to {format.Name()}; allowed: {string.Join(", ", ExportFormats.CompressionsFor(format))}"));
        var destination = request.Destination ?? new ExportDestinationSpec();
        if (destinations.Validate(destination) is { } destinationError) errors.Add(new("destination", destinationError));
        if (request.From is { } from && request.To is { } to && from >= to) errors.Add(new("to", "must be later than from"));
        if ((request.From is not null || request.To is not null) && dataset is { Ranged: false })
            errors.Add(new("from", $"{dataset.Name} is the current state and takes no range"));
        if (!ranged && (request.From is not null || request.To is not null))
            errors.Add(new("from", "a schedule exports the period before each run; it takes no from/to"));
        var traits = request.Traits ?? [];
        if (traits.Count > 0 && dataset is not null && dataset is not InsightSnapshotDataset)
            errors.Add(new("traits", $"only insight-snapshot takes traits"));
        if (traits.Count > MaxTraits) errors.Add(new("traits", $"at most {MaxTraits} traits"));
        for (var i = 0; i < traits.Count; i++)
        {
            if (!TraitName().IsMatch(traits[i] ?? "")) errors.Add(new($"traits[{i}]", "a trait name is 1-64 letters, digits, '_', '-' or '.'"));
        }
        if (traits.Distinct().Count() != traits.Count) errors.Add(new("traits", "names a trait more than once"));
        return errors.Count > 0
            ? (null, errors)
            : (new ExportRunSpec(dataset!.Name, format.Name(), compressionName, destination, traits, request.From, request.To), errors);
    }

    public static (ExportRunSpec? Spec, ExportCadence Cadence, TimeOnly At, List<FieldError> Errors) Validate(
        ScheduleRequest request, ExportDatasets datasets, ExportDestinations destinations)
    {
        var (spec, errors) = Validate(request, datasets, destinations, ranged: false);
        if (!ExportPeriods.TryParse(request.Cadence, out var cadence))
            errors.Add(new("cadence", $"{Quote(request.Cadence)} is not a cadence; allowed: {string.Join(", ", ExportPeriods.CadenceNames)}"));
        if (!TimeOnly.TryParseExact(request.At ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            errors.Add(new("at", "must be a UTC time of day as HH:mm, e.g. \"06:00\""));
        return (errors.Count > 0 ? null : spec, cadence, at, errors);
    }

    private static string Quote(string? value) => value is null ? "(missing)" : $"'{value}'";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex TraitName();
}
