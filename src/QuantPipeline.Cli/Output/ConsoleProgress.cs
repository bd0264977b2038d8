using QuantPipeline.Core.Progress;
using Spectre.Console;

namespace QuantPipeline.Cli.Output;

/// <summary>
/// Runs long work with progress on standard error, so standard output stays clean for results and --json:
/// bars with ETA on a terminal, plain lines when standard error is redirected, nothing when <c>enabled</c> is false.
/// </summary>
public static class ConsoleProgress
{
    public static T Run<T>(bool enabled, Func<IProgress<ProgressUpdate>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!enabled)
        {
            return work(Silent.Instance);
        }

        if (Console.IsErrorRedirected)
        {
            return work(new PlainProgress(Console.Error));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => work(new SpectreProgress(context)));
    }

    private sealed class Silent : IProgress<ProgressUpdate>
    {
        public static readonly Silent Instance = new();

        public void Report(ProgressUpdate value)
        {
        }
    }
}
