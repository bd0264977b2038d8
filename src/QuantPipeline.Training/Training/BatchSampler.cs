using QuantPipeline.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training.Training;

/// <summary>
/// Yields batches of sample positions. Shuffled: one random permutation per epoch, cut into
/// batches. By date: dates in random order, each batch the whole cross-sections of consecutive
/// dates of that order until it holds at least the batch size.
/// </summary>
internal sealed class BatchSampler
{
    private readonly SampleSet _samples;
    private readonly SamplerKind _kind;
    private readonly int _batchSize;
    private readonly Generator _generator;
    private readonly long[] _dateStart;
    private readonly long[] _dateCount;

    public BatchSampler(SampleSet samples, SamplerKind kind, int batchSize, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _samples = samples;
        _kind = kind;
        _batchSize = batchSize;
        _generator = new Generator((ulong)seed);
        _dateStart = [];
        _dateCount = [];
        if (kind == SamplerKind.ByDate)
        {
            using var scope = NewDisposeScope();
            var (_, _, counts) = samples.RowDates.cpu().unique_consecutive(return_inverse: false, return_counts: true);
            _dateCount = counts!.data<long>().ToArray();
            _dateStart = new long[_dateCount.Length];
            for (var d = 1; d < _dateCount.Length; d++)
            {
                _dateStart[d] = _dateStart[d - 1] + _dateCount[d - 1];
            }
        }
    }

    /// <summary>Batches of one epoch; each tensor belongs to the caller's dispose scope.</summary>
    public IEnumerable<Tensor> Epoch()
    {
        var device = _samples.Rows.device;
        if (_kind == SamplerKind.Shuffled)
        {
            var order = randperm(_samples.Count, generator: _generator).to(device);
            for (long start = 0; start < _samples.Count; start += _batchSize)
            {
                yield return order.narrow(0, start, Math.Min(_batchSize, _samples.Count - start));
            }

            yield break;
        }

        long[] dateOrder;
        using (var scope = NewDisposeScope())
        {
            dateOrder = randperm(_dateCount.Length, generator: _generator).data<long>().ToArray();
        }

        var next = 0;
        while (next < dateOrder.Length)
        {
            var pieces = new List<Tensor>();
            long size = 0;
            while (next < dateOrder.Length && (size == 0 || size + _dateCount[dateOrder[next]] <= _batchSize))
            {
                var d = dateOrder[next++];
                pieces.Add(arange(_dateStart[d], _dateStart[d] + _dateCount[d], 1, ScalarType.Int64, device));
                size += _dateCount[d];
            }

            yield return pieces.Count == 1 ? pieces[0] : cat(pieces, 0);
        }
    }
}
