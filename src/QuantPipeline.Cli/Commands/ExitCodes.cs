namespace QuantPipeline.Cli.Commands;

/// <summary>Exit codes of the pipeline commands (qp run, qp due), as documented in their help and the README.</summary>
public static class ExitCodes
{
    /// <summary>The run finished: deployed, or rejected by the quality gate (the output says which).</summary>
    public const int Ok = 0;

    /// <summary>A stage failed, or another run of the same model and as-of holds the lock.</summary>
    public const int Failure = 1;

    /// <summary>Usage or configuration error: bad date, unknown stage, invalid setting or configuration file.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled with Ctrl+C (SIGINT) or SIGTERM; the run record says cancelled and the next run resumes.</summary>
    public const int Cancelled = 130;

    public const string HelpText = """
        Exit codes:
          0    the run finished: deployed, rejected by the quality gate, or not deployed because production holds a
               model of a later date (the output says which); for qp due, the list was printed
          1    failure: a stage failed (after retrying transient errors), or another run of the same model and as-of holds the lock
          2    usage or configuration error (bad or missing date, unknown argument or stage, invalid configuration)
          130  cancelled with Ctrl+C / SIGTERM (the run record says cancelled; running again resumes)
        """;
}
