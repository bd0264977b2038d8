using System.Text;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// What is checked about a bar file before DuckDB reads it, so that a directory, an unreadable or empty file, a
/// header DuckDB's sniffer would misread, or duplicate column names get a message naming the file and what to do.
/// </summary>
internal static class BarFileChecks
{
    private const int MaxHeaderBytes = 1 << 20;
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    /// <summary>Fails with what is wrong when <paramref name="full"/> is not a readable, non-empty file.</summary>
    public static void EnsureReadableFile(string full)
    {
        if (Directory.Exists(full))
        {
            throw new InvalidDataException(
                $"Bar file '{full}' is a directory, not a file. Name the files in it instead, e.g. qp ingest {System.IO.Path.Combine(full, "*.csv")}.");
        }

        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Bar file '{full}' does not exist. Check the path (relative paths are read from {Environment.CurrentDirectory}).", full);
        }

        try
        {
            using var probe = File.OpenRead(full);
            if (probe.Length == 0)
            {
                throw new InvalidDataException(
                    $"Bar file '{full}' is empty (0 bytes). Expected a header row such as symbol,date,open,high,low,close,volume and one row per bar; check the export that wrote it.");
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidDataException($"Bar file '{full}' cannot be read: permission denied. Give the user running qp read access (e.g. chmod a+r '{full}').", e);
        }
    }

    /// <summary>
    /// The field separator of a CSV file (given, or detected from its header line) and its column names, after checking the header's column
    /// names: each must be distinct, compared without case, because columns are matched by name without case.
    /// </summary>
    public static (char Delimiter, IReadOnlyList<string> Columns) CsvHeader(string full, char? given)
    {
        var header = HeaderLine(full);
        var delimiter = given ?? Delimiters.Select(d => (d, Count: CountOutsideQuotes(header, d))).OrderByDescending(x => x.Count).ThenBy(x => System.Array.IndexOf(Delimiters, x.d)).First().d;
        var names = SplitOutsideQuotes(header, delimiter).Select(n => n.Trim().Trim('"').Trim()).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                throw new InvalidDataException(
                    $"{full}, line 1, column {i + 1}: the header has an empty column name (header: {header}). Name every column, or remove the trailing '{Printable(delimiter)}'.");
            }

            var j = names.FindIndex(i + 1, n => string.Equals(n, names[i], StringComparison.OrdinalIgnoreCase));
            if (j > i)
            {
                throw new InvalidDataException(
                    $"{full}, line 1: columns {i + 1} ('{names[i]}') and {j + 1} ('{names[j]}') have the same name (names are matched without case), so which one to read is unclear. Rename or drop one of them.");
            }
        }

        return (delimiter, names);
    }

    private static string Printable(char c) => c == '\t' ? "\\t" : c.ToString();

    private static string HeaderLine(string full)
    {
        using var stream = File.OpenRead(full);
        var bytes = new List<byte>();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n' && bytes.Count < MaxHeaderBytes)
        {
            bytes.Add((byte)b);
        }

        var span = bytes.ToArray().AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(span).TrimEnd('\r');
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException(NotUtf8(full, 1));
        }
    }

    public static string NotUtf8(string full, long? line) =>
        $"{full}{(line is { } l ? $", line {l}" : string.Empty)}: the file is not UTF-8 text (a byte sequence is not valid UTF-8; Latin-1 or Windows-1252 exports look like this). Convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8 '{full}' > converted.csv.";

    private static int CountOutsideQuotes(string line, char delimiter) => SplitOutsideQuotes(line, delimiter).Count - 1;

    private static List<string> SplitOutsideQuotes(string line, char delimiter)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                cell.Append(c);
            }
            else if (c == delimiter && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
