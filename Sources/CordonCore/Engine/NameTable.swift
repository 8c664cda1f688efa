/// Numbers names (alarm subjects, alarm scopes) densely while something uses them, so that what
/// is keyed by them hashes one integer instead of strings.
///
/// A name gets a number the first time it is retained and keeps it while its use count is above
/// zero; the number is then given to the next new name. Looking a name up never adds it: a name
/// nothing uses has no number, and whatever is keyed by it does not exist. So the table holds at
/// most as many names as there are live uses (here: raised conditions), however many distinct
/// names pass through over months (an access decision's id scopes its own alarm).
struct NameTable<Name: Hashable & Sendable>: Sendable {
    private var numbers: [Name: UInt32] = [:]
    private var names: [Name?] = []
    private var uses: [Int] = []
    private var free: [UInt32] = []

    /// The number of `name`, if something uses it.
    func number(of name: Name) -> UInt32? { numbers[name] }

    /// The name numbered `n`.
    func name(_ n: UInt32) -> Name? { Int(n) < names.count ? names[Int(n)] : nil }

    /// Counts one more use of `name`, numbering it if it is new.
    mutating func retain(_ name: Name) -> UInt32 {
        if let n = numbers[name] {
            uses[Int(n)] += 1
            return n
        }
        let n: UInt32
        if let reused = free.popLast() {
            n = reused
            names[Int(n)] = name
            uses[Int(n)] = 1
        } else {
            n = UInt32(names.count)
            names.append(name)
            uses.append(1)
        }
        numbers[name] = n
        return n
    }

    /// Counts one use of `n` less; at none, its name is forgotten and the number freed.
    mutating func release(_ n: UInt32) {
        let i = Int(n)
        guard i < uses.count, uses[i] > 0 else { return }
        uses[i] -= 1
        guard uses[i] == 0, let name = names[i] else { return }
        numbers[name] = nil
        names[i] = nil
        free.append(n)
    }

    /// How many names are numbered now.
    var count: Int { numbers.count }
}
