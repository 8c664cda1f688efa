import ArgumentParser

/// The command line: one binary for the service and the tools around it.
@main
struct Cordon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cordon",
        abstract: "Personnel and vehicle access control and positioning for a closed chemical park.",
        version: "0.1.0",
        subcommands: [Serve.self, Replay.self, Ctl.self, CheckSite.self, Watch.self, Import.self, Muster.self, ReportCommand.self, JourneyCommand.self,
                      Simulate.self, Bench.self, GateLatency.self, KeyGen.self, History.self, StoreCommand.self, HistoryBench.self, Push.self, Forward.self])
}
