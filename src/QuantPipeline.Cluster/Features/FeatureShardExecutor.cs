using System.Text.Json;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Cluster.Features;

/// <summary>Evaluates the features of one time shard and writes the shard's own rows as a panel Arrow file (<c>features.arrow</c>).</summary>
public sealed class FeatureShardExecutor : IUnitExecutor
{
    // One backend per name for the silo's life: a GPU backend compiles its kernels once, not once per shard.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<IComputeBackend>> _backends = new(StringComparer.OrdinalIgnoreCase);

    public const string UnitKind = "features";
    public const string OutputName = "features.arrow";

    public string Kind => UnitKind;

    public string Execute(UnitRequest request, UnitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<FeatureShardPayload>(request.Payload)
            ?? throw new InvalidDataException($"Unit {request.Key}: empty feature-shard payload.");
        Panel input;
        using (var source = File.OpenRead(context.Store.Resolve(payload.Input)))
        {
            input = PanelIpc.ReadStream(source);
        }

        var compiled = FeatureCompiler.Compile(payload.Definitions.Select(d => new FeatureDefinition(d[0], d[1])).ToList());
        var fields = input.FieldNames.ToDictionary(f => f, input.Field, StringComparer.Ordinal);
        var backend = _backends.GetOrAdd(payload.Backend, name => new Lazy<IComputeBackend>(() => ComputeBackends.Create(name))).Value;
        var own = payload.OwnCount;
        var output = new Panel(input.Timestamps.Skip(payload.Overlap).Take(own).ToArray(), input.Symbols) { Calendar = input.Calendar };
        var n = input.N;
        FeatureEvaluator.Evaluate(compiled, fields, input.T, n, backend, (o, values) =>
            output.SetField(o.Name, values.Slice(payload.Overlap * n, own * n).ToArray()));
        context.WriteAtomically(OutputName, stream =>
        {
            using var batch = PanelArrow.ToRecordBatch(output);
            using var writer = new Apache.Arrow.Ipc.ArrowFileWriter(stream, batch.Schema, leaveOpen: true);
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        });
        return JsonSerializer.Serialize(new { output = OutputName, rows = own, symbols = n, backend = backend.Name });
    }
}
