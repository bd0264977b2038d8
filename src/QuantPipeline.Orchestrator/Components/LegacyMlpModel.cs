using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Training.Models;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>
/// The MLP of the default configuration, trained by <c>MlpTrainer</c> on the z-scored skeleton features exactly as
/// before the components existed, so its versions, artifacts and stage outputs are unchanged.
/// </summary>
public sealed class LegacyMlpModel(MlpRegressor network) : PipelineModel
{
    public MlpRegressor Network { get; } = network;

    public override string Kind => "mlp";

    public override float[] Predict(float[][] inputs, Panel panel, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(panel);
        return ModelInputs.Predict(Network, inputs, from, to, panel.N);
    }

    public override void Save(string path) => Network.save(path);

    public override double MaxAbsDifference(PipelineModel other) =>
        other is LegacyMlpModel mlp ? MaxAbsDifference(Network, mlp.Network) : double.PositiveInfinity;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Network.Dispose();
        }
    }
}
