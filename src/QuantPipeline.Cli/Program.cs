using System.CommandLine;
using QuantPipeline.Cli.Commands;

namespace QuantPipeline.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand(
            """
            QuantPipeline (qp): market data to a deployed, monitored model.
            ingest → features → train → validate & backtest → quality gate → registry → deploy → monitor.

            Start with:  qp demo            (runs every stage on synthetic data in ./qp-demo)
            """);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RegistryCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(LineageCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(InferCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        root.Subcommands.Add(CalendarCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(QuarantineCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(TrainCheckCommand.Create());
        root.Subcommands.Add(ScheduleCommand.Create());
        root.Subcommands.Add(BackfillCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DueCommand.Create());
        CommandHelp.Install(root);
        return root.Parse(args).Invoke();
    }
}
