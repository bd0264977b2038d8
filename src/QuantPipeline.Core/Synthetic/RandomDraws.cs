namespace QuantPipeline.Core.Synthetic;

/// <summary>Random draws shared by the synthetic generators (the order of calls on the generator is part of their seeding).</summary>
internal static class RandomDraws
{
    /// <summary>Standard normal by Box–Muller (two uniforms per draw).</summary>
    public static double Normal(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Student-t draw scaled to unit variance.</summary>
    public static double StudentT(Random rng, int dof)
    {
        double chi = 0;
        for (var k = 0; k < dof; k++)
        {
            var z = Normal(rng);
            chi += z * z;
        }

        return Normal(rng) / Math.Sqrt(chi / dof) * Math.Sqrt((dof - 2.0) / dof);
    }
}
