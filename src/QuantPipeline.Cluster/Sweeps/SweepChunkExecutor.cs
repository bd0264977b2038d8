using System.Text.Json;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Cluster.Sweeps;

/// <summary>Runs one chunk of backtest variants with <see cref="BacktestSweep"/> and returns their metrics.</summary>
public sealed class SweepChunkExecutor : IUnitExecutor
{
    public const string UnitKind = "sweep";

    public string Kind => UnitKind;

    public string Execute(UnitRequest request, UnitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<SweepChunkPayload>(request.Payload, SweepJson.Options)
            ?? throw new InvalidDataException($"Unit {request.Key}: empty sweep payload.");
        var path = context.Store.Resolve(payload.Input);
        var inputs = SweepInputs.FromPanel(PanelIpc.ReadFile(path), path);
        var results = BacktestSweep.Run(inputs, payload.Variants, payload.PeriodsPerYear);
        return JsonSerializer.Serialize(results.Select(r => new SweepVariantResult(r.Options, r.Metrics, r.TotalCosts)).ToList(), SweepJson.Options);
    }
}
