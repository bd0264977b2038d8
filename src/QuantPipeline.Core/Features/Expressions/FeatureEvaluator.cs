using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Features.Expressions;

/// <summary>
/// Runs a compiled set on a backend over time-major [t, n] float32 fields. Nodes run in id order, each into the
/// buffer slot the plan gave it; a slot is reused once the node's last consumer has run, so memory is
/// <see cref="EvaluationPlan.SlotCount"/> buffers however many features the set has.
/// </summary>
public static class FeatureEvaluator
{
    /// <summary>
    /// Streams each output to <paramref name="sink"/> as soon as it is computed; the span is valid only during the call.
    /// </summary>
    /// <param name="fields">Input fields by name without '$' (case-insensitive).</param>
    /// <param name="membership">[t, n] universe membership for the cross-sectional functions, or null for all symbols.</param>
    /// <param name="workspace">Buffers kept from an earlier call (see <see cref="FeatureWorkspace"/>), or null for fresh ones.</param>
    public static void Evaluate(
        CompiledFeatureSet set,
        IReadOnlyDictionary<string, float[]> fields,
        int t,
        int n,
        IComputeBackend backend,
        Action<CompiledOutput, ReadOnlySpan<float>> sink,
        bool[]? membership = null,
        FeatureWorkspace? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(sink);
        var cells = checked(t * n);
        if (membership is not null && membership.Length != cells)
        {
            throw new ArgumentException($"Membership has {membership.Length} cells; a {t}×{n} panel needs {cells}.", nameof(membership));
        }

        var inputs = ResolveFields(set, fields, cells, t, n);
        var outputsByNode = set.Outputs.ToLookup(o => o.NodeId);
        var slots = new float[set.Plan.SlotCount][];
        var nodes = set.Nodes;
        for (var id = 0; id < nodes.Count; id++)
        {
            var node = nodes[id];
            float[] result;
            if (node.Op == DagOp.Field)
            {
                result = inputs[node.Field!];
            }
            else
            {
                var slot = set.Plan.SlotOf[id];
                result = slots[slot] ??= workspace?.Buffer(slot, cells) ?? GC.AllocateUninitializedArray<float>(cells);
                Run(node, Buffer, result, t, n, backend, membership);
            }

            foreach (var output in outputsByNode[id])
            {
                sink(output, result);
            }

            float[] Buffer(int input) => nodes[input].Op == DagOp.Field ? inputs[nodes[input].Field!] : slots[set.Plan.SlotOf[input]];
        }
    }

    /// <summary>Evaluates every output into its own array, keyed by feature name.</summary>
    public static Dictionary<string, float[]> Evaluate(
        CompiledFeatureSet set, IReadOnlyDictionary<string, float[]> fields, int t, int n, IComputeBackend backend, bool[]? membership = null)
    {
        var results = new Dictionary<string, float[]>(StringComparer.Ordinal);
        Evaluate(set, fields, t, n, backend, (output, values) => results[output.Name] = values.ToArray(), membership);
        return results;
    }

    private static Dictionary<string, float[]> ResolveFields(CompiledFeatureSet set, IReadOnlyDictionary<string, float[]> fields, int cells, int t, int n)
    {
        var byName = new Dictionary<string, float[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in fields)
        {
            byName[name.TrimStart('$')] = values;
        }

        var resolved = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var field in set.Fields)
        {
            if (!byName.TryGetValue(field, out var values))
            {
                var users = set.Outputs.Where(o => o.Expression.Contains("$" + field, StringComparison.OrdinalIgnoreCase)).Select(o => o.Name).Take(3);
                throw new KeyNotFoundException(
                    $"Field '${field}' (used by {string.Join(", ", users)}) is not in the data. Available fields: {string.Join(", ", byName.Keys.Select(k => "$" + k))}.");
            }

            if (values.Length != cells)
            {
                throw new ArgumentException($"Field '${field}' has {values.Length} values; a {t}×{n} panel needs {cells}.", nameof(fields));
            }

            resolved[field] = values;
        }

        return resolved;
    }

    private static void Run(DagNode node, Func<int, float[]> input, float[] dst, int t, int n, IComputeBackend backend, bool[]? membership)
    {
        switch (node.Op)
        {
            case DagOp.Constant:
                dst.AsSpan().Fill((float)node.Value);
                break;
            case DagOp.Unary:
                backend.Unary(node.UnaryOp, input(node.Inputs[0]), dst);
                break;
            case DagOp.Binary:
                backend.Binary(node.BinaryOp, input(node.Inputs[0]), input(node.Inputs[1]), dst);
                break;
            case DagOp.Where:
                backend.Where(input(node.Inputs[0]), input(node.Inputs[1]), input(node.Inputs[2]), dst);
                break;
            case DagOp.Shift:
                backend.Shift(input(node.Inputs[0]), dst, t, n, node.Periods);
                break;
            case DagOp.Diff:
                backend.Diff(input(node.Inputs[0]), dst, t, n, node.Periods);
                break;
            case DagOp.Rolling:
                backend.Rolling(node.RollingOp, input(node.Inputs[0]), dst, t, n, node.Rolling);
                break;
            case DagOp.RollingPair:
                backend.RollingPair(node.RollingPairOp, input(node.Inputs[0]), input(node.Inputs[1]), dst, t, n, node.Rolling);
                break;
            case DagOp.Ewm:
                backend.Ewm(input(node.Inputs[0]), dst, t, n, node.Ewm);
                break;
            case DagOp.Rsi:
                backend.Rsi(input(node.Inputs[0]), dst, t, n, node.Periods);
                break;
            case DagOp.CrossSectional:
                backend.CrossSectional(node.CrossSectionalOp, input(node.Inputs[0]), membership ?? ReadOnlySpan<bool>.Empty, dst, t, n, new CrossSectionalSpec());
                break;
            default:
                throw new InvalidOperationException($"Node {node.Id} ({node.Key}) cannot be evaluated.");
        }
    }
}
