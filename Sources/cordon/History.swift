import ArgumentParser

/// `cordon history …`: what the store remembers, asked of the running service.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the running service's history: the audit of changes.",
        subcommands: [HistoryAudit.self])
}
