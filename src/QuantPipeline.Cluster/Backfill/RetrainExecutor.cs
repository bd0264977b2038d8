using System.Text.Json;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>Runs one backfill date through the silo's <see cref="IRetrainUnit"/>.</summary>
public sealed class RetrainExecutor(IRetrainUnit unit) : IUnitExecutor
{
    public const string UnitKind = "retrain";

    public string Kind => UnitKind;

    public string Execute(UnitRequest request, UnitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = JsonSerializer.Deserialize<RetrainPayload>(request.Payload)
            ?? throw new InvalidDataException($"Unit {request.Key}: empty retrain payload.");
        return JsonSerializer.Serialize(unit.Run(payload, context, cancellationToken));
    }
}
