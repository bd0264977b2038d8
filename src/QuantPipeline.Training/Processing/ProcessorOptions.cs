namespace QuantPipeline.Training.Processing;

/// <summary>How features are normalised before training.</summary>
public enum FeatureNormalisation
{
    None,

    /// <summary>Per date and feature: (x − mean) / std over the universe members with a finite value.</summary>
    CrossSectionalZScore,

    /// <summary>Per date and feature: rank among finite universe members scaled to [−1, 1]; ties keep symbol order.</summary>
    CrossSectionalRank,

    /// <summary>(x − median) / (1.4826 · MAD) with median and MAD fitted per feature on the training window.</summary>
    RobustZScore,
}

/// <summary>How labels are normalised; labels are never seen outside the training and validation windows.</summary>
public enum LabelNormalisation
{
    None,
    CrossSectionalZScore,
    CrossSectionalRank,
}

/// <summary>What to do with a sample whose feature is NaN or infinite.</summary>
public enum MissingFeaturePolicy
{
    /// <summary>Replace the value with <see cref="ProcessorOptions.FillValue"/> (0 is the cross-sectional centre after normalisation).</summary>
    Fill,

    /// <summary>Drop the sample.</summary>
    Drop,
}

public sealed record ProcessorOptions
{
    public FeatureNormalisation Features { get; init; } = FeatureNormalisation.CrossSectionalZScore;

    public LabelNormalisation Labels { get; init; } = LabelNormalisation.None;

    /// <summary>Normalised features are clipped to ±Clip; 0 turns clipping off.</summary>
    public double Clip { get; init; } = 5.0;

    public MissingFeaturePolicy Missing { get; init; } = MissingFeaturePolicy.Fill;

    public double FillValue { get; init; }
}
