namespace QuantPipeline.Training.Checkpoints;

/// <summary>A checkpoint that cannot be used: corrupt, incomplete, or for another architecture or feature set.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
