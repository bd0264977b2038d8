using System.Globalization;

namespace QuantPipeline.Cli.Commands;

/// <summary>Date options and argument errors as the schedule and backfill commands read and report them.</summary>
internal static class CliDates
{
    public static DateOnly Parse(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ArgumentException($"{option} '{text}' is not a date; write it as yyyy-MM-dd, e.g. 2024-01-31.");

    public static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
}
