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
        return Run(enabled, Console.Out, (progress, _) => work(progress));
    }

    /// <summary>
    /// As <see cref="Run{T}(bool, Func{IProgress{ProgressUpdate}, T})"/>, and hands the work a way to print lines meant
    /// for <paramref name="lines"/> (log lines, per-stage summaries). While bars are live on a terminal and those lines
    /// would reach the same terminal, they go through the bars' console, which prints them above the bars instead of
    /// through them; otherwise they go to <paramref name="lines"/> unchanged.
    /// </summary>
    public static T Run<T>(bool enabled, TextWriter lines, Func<IProgress<ProgressUpdate>, Action<string>, T> work)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(work);
        var gate = new Lock();
        void Plain(string line)
        {
            lock (gate)
            {
                lines.WriteLine(line);
            }
        }

        if (!enabled)
        {
            return work(Silent.Instance, Plain);
        }

        if (Console.IsErrorRedirected)
        {
            return work(new PlainProgress(Console.Error), Plain);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var sameTerminal = ReferenceEquals(lines, Console.Error) || (ReferenceEquals(lines, Console.Out) && !Console.IsOutputRedirected);
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => work(new SpectreProgress(context), sameTerminal ? line => { lock (gate) { console.WriteLine(line); } } : Plain));
    }

    private sealed class Silent : IProgress<ProgressUpdate>
    {
        public static readonly Silent Instance = new();

        public void Report(ProgressUpdate value)
        {
        }
    }
}
