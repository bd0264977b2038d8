namespace QuantPipeline.Core.Features.Expressions;

/// <summary>
/// Buffer assignment for a compiled graph: node i writes into <see cref="SlotOf"/>[i] (−1 for fields, which are read
/// from the caller's buffers). A slot returns to the free list once the node's last consumer has run, so
/// <see cref="SlotCount"/> buffers of [t, n] floats suffice for the whole set.
/// </summary>
public sealed record EvaluationPlan(IReadOnlyList<int> SlotOf, IReadOnlyList<int> LastUse, int SlotCount)
{
    internal static EvaluationPlan Build(IReadOnlyList<DagNode> nodes)
    {
        var lastUse = new int[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            lastUse[i] = i;
        }

        foreach (var node in nodes)
        {
            foreach (var input in node.Inputs)
            {
                lastUse[input] = Math.Max(lastUse[input], node.Id);
            }
        }

        var releaseAfter = new List<int>[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            (releaseAfter[lastUse[i]] ??= []).Add(i);
        }

        var slotOf = new int[nodes.Count];
        var free = new Stack<int>();
        var slotCount = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            slotOf[i] = nodes[i].Op == DagOp.Field ? -1 : free.Count > 0 ? free.Pop() : slotCount++;
            if (releaseAfter[i] is { } done)
            {
                foreach (var released in done)
                {
                    if (slotOf[released] >= 0)
                    {
                        free.Push(slotOf[released]);
                    }
                }
            }
        }

        return new EvaluationPlan(slotOf, lastUse, slotCount);
    }
}
