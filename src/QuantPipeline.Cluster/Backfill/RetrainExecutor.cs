using System.Text.Json;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>
/// Runs one backfill date through an <see cref="IRetrainUnit"/>: the silo's registered unit for <see cref="UnitKind"/>
/// units, <see cref="PipelineValidationUnit"/> for <see cref="ValidateUnitKind"/> units.
/// </summary>
public sealed class RetrainExecutor : IUnitExecutor
{
    public const string UnitKind = "retrain";

    /// <summary>Units that stop after validate, so the coordinator registers; see <see cref="ClusterBackfillRetrainer"/>.</summary>
    public const string ValidateUnitKind = "retrain-validate";

    private readonly IRetrainUnit _unit;

    public RetrainExecutor(IRetrainUnit unit)
        : this(unit, UnitKind)
    {
    }

    public RetrainExecutor(IRetrainUnit unit, string kind)
    {
        _unit = unit;
        Kind = kind;
    }

    public string Kind { get; }

    public string Execute(UnitRequest request, UnitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = JsonSerializer.Deserialize<RetrainPayload>(request.Payload)
            ?? throw new InvalidDataException($"Unit {request.Key}: empty retrain payload.");
        return JsonSerializer.Serialize(_unit.Run(payload, context, cancellationToken));
    }
}
