namespace QuantPipeline.Core.Validation;

/// <summary>Contiguous groups of time-ordered samples of near-equal size (the first n mod k groups hold one more).</summary>
internal static class SampleGroups
{
    public static (int First, int Last)[] Split(int samples, int groups)
    {
        if (groups < 2 || groups > samples)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), $"Need 2 ≤ groups ≤ samples; got {groups} groups for {samples} samples.");
        }

        var result = new (int, int)[groups];
        var size = samples / groups;
        var extra = samples % groups;
        var first = 0;
        for (var g = 0; g < groups; g++)
        {
            var count = size + (g < extra ? 1 : 0);
            result[g] = (first, first + count - 1);
            first += count;
        }

        return result;
    }
}
