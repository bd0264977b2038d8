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
        Sensitivity = 1.0;
    }

    public readonly double OldWeight => oldWeight;

    /// <summary>
    /// ∂Value/∂(value right after the first observation) for the recursive form: the product of the old
    /// weight's share in every later blend. A time chunk run from a fresh state uses it to correct its result
    /// for the true state carried in from earlier chunks.
    /// </summary>
    public double Sensitivity;

    public double Value;

    /// <summary>Continues from a state carried in from earlier rows.</summary>
    public void Restore(double value, double weight, int observations)
    {
        Value = value;
        oldWeight = weight;
        Observations = observations;
    }

    public int Observations;

    public void Step(double x)
    {
        var observed = !(double.IsNaN(x) || double.IsInfinity(x));
        if (observed)
        {
            Observations++;
        }

        if (!double.IsNaN(Value))
        {
            oldWeight *= decay;
            if (observed)
            {
                Sensitivity *= oldWeight / (oldWeight + newWeight);
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
