import ArgumentParser
import CordonCore
import CordonService
import Foundation

/// `cordon check-site`: validate and summarise a site file.
struct CheckSite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-site",
        abstract: "Validate a site file and summarise it; exit 1 with every problem listed when it is invalid.")

    @Argument(help: "The site file.") var site: String

    func run() throws {
        do {
            let s = try SiteFile.load(path: site)
            print("\(site): valid")
            print(s.summary)
        } catch {
            print("\(error)")
            throw ExitCode(1)
        }
    }
}
