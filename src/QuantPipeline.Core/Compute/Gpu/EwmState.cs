namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// pandas' exponentially weighted mean recursion (ignore_na = false): every bar, missing or not, decays the
/// old weight by (1 − alpha); an observation then joins with weight 1 (adjust) or alpha (recursive form).
/// The last value is carried through missing bars.
/// </summary>
internal struct EwmState
{
    private readonly double decay;
    private readonly double newWeight;
    private readonly bool adjust;
    private double oldWeight;

    public EwmState(double alpha, bool adjust)
    {
        decay = 1.0 - alpha;
        newWeight = adjust ? 1.0 : alpha;
        this.adjust = adjust;
        oldWeight = 1.0;
        Value = double.NaN;
        Observations = 0;
    }

    public double Value;

    public int Observations;

    public void Step(double x)
    {
        var observed = !double.IsNaN(x);
        if (observed)
        {
            Observations++;
        }

        if (!double.IsNaN(Value))
        {
            oldWeight *= decay;
            if (observed)
            {
                Value = (oldWeight * Value + newWeight * x) / (oldWeight + newWeight);
                oldWeight = adjust ? oldWeight + newWeight : 1.0;
            }
        }
        else if (observed)
        {
            Value = x;
        }
    }
}
