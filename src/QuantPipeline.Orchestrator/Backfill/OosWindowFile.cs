using System.Globalization;
using System.Text;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>One out-of-sample prediction: a symbol's score for a session, from that session's features.</summary>
public readonly record struct OosPrediction(DateOnly Session, string Symbol, float Score);

/// <summary>
/// The out-of-sample predictions of one retrain window, one CSV per (retrain date, window end, scoring version).
/// Written atomically, so a file that exists is complete: a resumed backfill reuses it instead of scoring again.
/// </summary>
public static class OosWindowFile
{
    private const string Header = "session,symbol,score";

    public static string PathFor(string directory, DateOnly retrain, DateOnly testTo, int version) =>
        System.IO.Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{retrain:yyyy-MM-dd}_{testTo:yyyy-MM-dd}_v{version}.csv"));

    public static void Write(string path, IReadOnlyList<OosPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var p in predictions)
        {
            text.Append(p.Session.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.Symbol).Append(',')
                .Append(p.Score.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static IReadOnlyList<OosPrediction> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header)
        {
            throw new InvalidDataException($"{path} is not an out-of-sample prediction file (expected the header '{Header}'); delete it and run the backfill again to rescore its window.");
        }

        var result = new List<OosPrediction>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != 3
                || !DateOnly.TryParseExact(cells[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var session)
                || !float.TryParse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                throw new InvalidDataException($"{path}, line {i + 1}: expected 'yyyy-MM-dd,SYMBOL,score', got '{lines[i]}'; delete the file and run the backfill again to rescore its window.");
            }

            result.Add(new OosPrediction(session, cells[1], score));
        }

        return result;
    }
}
