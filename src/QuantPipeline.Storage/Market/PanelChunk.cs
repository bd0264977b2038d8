using QuantPipeline.Core.Panels;

namespace QuantPipeline.Storage.Market;

/// <summary>One time chunk of a streamed panel: the first <see cref="Lookback"/> rows repeat history the chunk's computations need.</summary>
public sealed record PanelChunk(Panel Panel, int Lookback)
{
    /// <summary>Rows that are new in this chunk (after the lookback overlap).</summary>
    public int NewRows => Panel.T - Lookback;
}
