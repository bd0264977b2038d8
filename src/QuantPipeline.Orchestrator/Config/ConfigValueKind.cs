namespace QuantPipeline.Orchestrator.Config;

/// <summary>The type of a setting's value, as the configuration file and its messages name it.</summary>
public enum ConfigValueKind
{
    Integer,
    Number,
    Boolean,
    Text,
    IntegerList,
}
