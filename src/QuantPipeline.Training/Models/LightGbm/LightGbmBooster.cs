using System.Globalization;
using System.Text;

namespace QuantPipeline.Training.Models.LightGbm;

/// <summary>LightGBM's regression settings for one training run.</summary>
public sealed record LightGbmOptions
{
    public int NumLeaves { get; init; } = 63;

    public double LearningRate { get; init; } = 0.05;

    public int Rounds { get; init; } = 200;

    /// <summary>Stop when the validation L2 has not improved for this many rounds and keep the best round; 0 turns it off.</summary>
    public int EarlyStoppingRounds { get; init; } = 20;

    public int Seed { get; init; } = 7;

    /// <summary>Fixed so that a rerun builds the same trees (LightGBM is deterministic for a given thread count).</summary>
    public int Threads { get; init; } = 2;

    internal string Parameters() => string.Create(CultureInfo.InvariantCulture,
        $"objective=regression metric=l2 num_leaves={NumLeaves} learning_rate={LearningRate:R} seed={Seed} num_threads={Threads} deterministic=true force_col_wise=true min_data_in_leaf=20 feature_fraction=0.8 bagging_fraction=0.8 bagging_freq=1 lambda_l2=1 verbosity=-1");
}

/// <summary>
/// A trained LightGBM model held by the native library. Its saved form is LightGBM's text model (the best round
/// only), which is what the artifact store keeps and what <see cref="Load"/> reads back.
/// </summary>
public sealed unsafe class LightGbmBooster : IDisposable
{
    private nint _handle;

    private LightGbmBooster(nint handle, int rounds)
    {
        _handle = handle;
        Rounds = rounds;
    }

    /// <summary>Boosting rounds kept (the best one under early stopping).</summary>
    public int Rounds { get; }

    /// <summary>Validation L2 after each round (empty without validation rows).</summary>
    public IReadOnlyList<double> ValidationLoss { get; private init; } = [];

    /// <summary>Trains on row-major [rows, columns] float32 features; the validation rows (if any) drive early stopping.</summary>
    public static LightGbmBooster Train(float[] x, float[] y, int rows, int columns, float[]? validX, float[]? validY, int validRows, LightGbmOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        if (rows < 1 || x.Length != (long)rows * columns || y.Length != rows)
        {
            throw new ArgumentException($"LightGBM needs {rows}×{columns} features and {rows} labels; got {x.Length} and {y.Length}.");
        }

        var parameters = options.Parameters();
        nint train = 0, valid = 0, booster = 0;
        try
        {
            fixed (float* px = x)
            fixed (float* py = y)
            {
                NativeMethods.Check(NativeMethods.DatasetCreateFromMat(px, NativeMethods.DtypeFloat32, rows, columns, 1, parameters, 0, out train), "dataset");
                NativeMethods.Check(NativeMethods.DatasetSetField(train, "label", py, rows, NativeMethods.DtypeFloat32), "label");
            }

            NativeMethods.Check(NativeMethods.BoosterCreate(train, parameters, out booster), "booster");
            var hasValid = validX is not null && validY is not null && validRows > 0;
            if (hasValid)
            {
                fixed (float* pvx = validX)
                fixed (float* pvy = validY)
                {
                    NativeMethods.Check(NativeMethods.DatasetCreateFromMat(pvx, NativeMethods.DtypeFloat32, validRows, columns, 1, parameters, train, out valid), "validation dataset");
                    NativeMethods.Check(NativeMethods.DatasetSetField(valid, "label", pvy, validRows, NativeMethods.DtypeFloat32), "validation label");
                }

                NativeMethods.Check(NativeMethods.BoosterAddValidData(booster, valid), "validation data");
            }

            var losses = new List<double>();
            var best = (Round: 0, Loss: double.PositiveInfinity);
            for (var round = 1; round <= options.Rounds; round++)
            {
                NativeMethods.Check(NativeMethods.BoosterUpdateOneIter(booster, out var finished), "boosting round");
                if (hasValid)
                {
                    double loss;
                    NativeMethods.Check(NativeMethods.BoosterGetEval(booster, 1, out _, &loss), "validation metric");
                    losses.Add(loss);
                    if (loss < best.Loss)
                    {
                        best = (round, loss);
                    }
                    else if (options.EarlyStoppingRounds > 0 && round - best.Round >= options.EarlyStoppingRounds)
                    {
                        break;
                    }
                }
                else
                {
                    best = (round, double.NaN);
                }

                if (finished != 0)
                {
                    break;
                }
            }

            // Keep only the best rounds: reload the text model of those, so the saved and the used model are one.
            var text = SaveToString(booster, best.Round);
            var kept = Load(text);
            return new LightGbmBooster(kept.Release(), kept.Rounds) { ValidationLoss = losses };
        }
        finally
        {
            if (booster != 0)
            {
                NativeMethods.BoosterFree(booster);
            }

            if (valid != 0)
            {
                NativeMethods.DatasetFree(valid);
            }

            if (train != 0)
            {
                NativeMethods.DatasetFree(train);
            }
        }
    }

    /// <summary>A model from LightGBM's text form.</summary>
    public static LightGbmBooster Load(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        NativeMethods.Check(NativeMethods.BoosterLoadModelFromString(model, out var rounds, out var handle), "model load");
        return new LightGbmBooster(handle, rounds);
    }

    /// <summary>LightGBM's text model (UTF-8), the form stored as the artifact.</summary>
    public string Save() => SaveToString(Handle, Rounds);

    /// <summary>Predictions for row-major [rows, columns] float32 features.</summary>
    public float[] Predict(float[] x, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (rows == 0)
        {
            return [];
        }

        var output = new double[rows];
        fixed (float* px = x)
        fixed (double* po = output)
        {
            NativeMethods.Check(NativeMethods.BoosterPredictForMat(Handle, px, NativeMethods.DtypeFloat32, rows, columns, 1, NativeMethods.PredictNormal, 0, -1, "num_threads=1", out var length, po), "prediction");
            if (length != rows)
            {
                throw new InvalidOperationException($"LightGBM returned {length} predictions for {rows} rows.");
            }
        }

        return Array.ConvertAll(output, v => (float)v);
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            NativeMethods.BoosterFree(_handle);
            _handle = 0;
        }
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(LightGbmBooster));

    private nint Release()
    {
        var handle = _handle;
        _handle = 0;
        return handle;
    }

    private static string SaveToString(nint booster, int rounds)
    {
        NativeMethods.Check(NativeMethods.BoosterSaveModelToString(booster, 0, rounds, 0, 0, out var length, null), "model size");
        var buffer = new byte[length];
        fixed (byte* pb = buffer)
        {
            NativeMethods.Check(NativeMethods.BoosterSaveModelToString(booster, 0, rounds, 0, length, out _, pb), "model save");
        }

        return Encoding.UTF8.GetString(buffer, 0, (int)length - 1);
    }
}
