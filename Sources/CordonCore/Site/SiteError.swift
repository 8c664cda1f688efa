/// A site file that cannot be used, with every problem found (not just the first), each
/// naming the feature it is about so the author can go straight to it.
public struct SiteError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The feature's id, `features[N]` when it has none, or `cordon` for site settings.
        public var feature: String
        public var message: String

        public init(feature: String, message: String) {
            self.feature = feature
            self.message = message
        }

        public var description: String { "\(feature): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        "the site file is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
