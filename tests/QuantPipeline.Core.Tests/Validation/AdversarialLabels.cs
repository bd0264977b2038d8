using QuantPipeline.Core.Validation;

namespace QuantPipeline.Core.Tests.Validation;

/// <summary>
/// Samples with adversarial label horizons: zero to three samples a session, horizons from same-session to a year,
/// so long labels started before a held-out block end deep inside it and labels inside the block run past its last start.
/// </summary>
internal static class AdversarialLabels
{
    private static readonly int[] Horizons = [0, 0, 1, 1, 2, 5, 21, 63, 250];

    public static LabelSpan[] Generate(int sessions, int seed)
    {
        var rng = new Random(seed);
        var spans = new List<LabelSpan>();
        for (var s = 0; s < sessions; s++)
        {
            var count = rng.Next(0, 4);
            for (var c = 0; c < count; c++)
            {
                spans.Add(new LabelSpan(s, s + Horizons[rng.Next(Horizons.Length)]));
            }
        }

        return [.. spans];
    }

    /// <summary>The two spans share at least one session.</summary>
    public static bool Overlap(LabelSpan a, LabelSpan b) => a.Start <= b.End && b.Start <= a.End;
}
