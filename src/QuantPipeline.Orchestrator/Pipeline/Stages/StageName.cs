namespace QuantPipeline.Orchestrator.Pipeline.Stages;

/// <summary>
/// The pipeline's stages by name, in run order: the one place a stage's name is spelt (run records, the audit trail,
/// content keys and progress updates all use these).
/// </summary>
public static class StageName
{
    public const string Ingest = "ingest";
    public const string Prepare = "prepare";
    public const string Features = "features";
    public const string Train = "train";
    public const string Validate = "validate";
    public const string Gate = "gate";
    public const string Register = "register";
    public const string Deploy = "deploy";
    public const string Monitor = "monitor";

    /// <summary>The stages in the order they run (ingest only in the demo).</summary>
    public static IReadOnlyList<string> Order { get; } = [Ingest, Prepare, Features, Train, Validate, Gate, Register, Deploy, Monitor];
}
