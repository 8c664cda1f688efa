import CordonCore
import CordonWire
import Testing

@Suite("Registry import: people.csv and vehicles.csv, row by row, all or nothing")
struct RegistryCSVTests {
    func read(_ text: String, kind: RegistryCSV.Kind? = nil) -> Result<RegistryCSV.Records, RegistryCSV.Failure> {
        RegistryCSV.read(Array(text.utf8), kind: kind)
    }

    @Test("a people file with every column, quoted values, a BOM and CRLF line ends")
    func people() throws {
        let text = "\u{FEFF}id,name,role,enterprise,tag,card,contractor,induction_until,blacklisted,qualifications\r\n"
            + "P0042,\"赵强\",fitter,E03,T1042,C67544651,yes,2027-03-31,no,\"hot-work:2027-06-30; confined-space\"\r\n"
            + "P0043,\"Li, Wei \"\"Jr\"\"\",welder,E03,,,,,,\r\n"
        let r = try read(text).get()
        #expect(r.kind == .people && r.people.count == 2)
        let p = r.people[0]
        #expect(p.id == "P0042" && p.name == "赵强" && p.contractor && p.card == "C67544651")
        #expect(p.inductionUntil == Expiry(text: "2027-03-31"))
        #expect(p.qualifications == [Qualification(name: "hot-work", expires: Expiry(text: "2027-06-30")),
                                     Qualification(name: "confined-space")])
        #expect(r.people[1].name == "Li, Wei \"Jr\"" && !r.people[1].contractor)
    }

    @Test("a vehicles file: plates normalised, kinds checked")
    func vehicles() throws {
        let r = try read("plate,kind,enterprise,blacklisted\n鲁Ｅ１２３４５,hazmat,E03,\n鲁E 1234 挂,hazmat,E03,是\n").get()
        #expect(r.vehicles.map(\.plate) == ["鲁E12345", "鲁E1234挂"])
        #expect(r.vehicles[1].blacklisted)
    }

    @Test("every bad row is reported with its line number, and nothing is imported")
    func problems() {
        let text = """
            id,name,contractor,induction_until,card
            P1,ok,no,,C1
            ,no id,,,
            P3,bad flag,maybe,,
            P4,bad date,yes,2027-13-01,
            P1,duplicate,,,
            P6,"duplicate card",,,C1
            P7,too,many,fields,,
            """
        guard case .failure(let f) = read(text) else { Issue.record("must fail"); return }
        #expect(f.problems.map(\.line) == [3, 4, 5, 6, 7, 8])
        #expect(f.problems[0].message.contains("'id'"))
        #expect(f.problems[1].message.contains("maybe"))
        #expect(f.problems[2].message.contains("2027-13-01"))
        #expect(f.problems[3].message.contains("already on line 2"))
        #expect(f.problems[4].message.contains("card 'C1' is already on line 2"))
        #expect(f.problems[5].message.contains("6 fields"))
    }

    @Test("a malformed plate is reported, not guessed at")
    func malformedPlate() {
        guard case .failure(let f) = read("plate,kind\n鲁E12345,general\n鲁E1O345,general\n鲁E12345,staff\n") else {
            Issue.record("must fail"); return
        }
        #expect(f.problems.map(\.line) == [3, 4])
        #expect(f.problems[0].message.contains("letter O"))
        #expect(f.problems[1].message.contains("plate '鲁E12345' is already on line 2"))
    }

    @Test("header problems: unknown or repeated columns, a missing required one, no way to tell the kind")
    func header() {
        func lines(_ t: String, _ k: RegistryCSV.Kind? = nil) -> [String] {
            if case .failure(let f) = read(t, kind: k) { return f.problems.map(\.message) }
            return []
        }
        #expect(lines("id,shoe_size\nP1,42\n").first?.contains("unknown column 'shoe_size'") == true)
        #expect(lines("id,name,name\nP1,a,b\n").first?.contains("twice") == true)
        #expect(lines("plate,enterprise\n鲁E12345,E1\n").first?.contains("'kind' is missing") == true)
        #expect(lines("name\nLi\n").first?.contains("neither") == true)
        #expect(lines("").first?.contains("empty") == true)
        #expect(lines("id,name\n").first?.contains("no rows") == true)
        #expect(lines("name\nLi\n", .people).first?.contains("'id' is missing") == true)
    }

    @Test("a file that is not UTF-8 is refused at the line of the first bad byte")
    func notUTF8() {
        var bytes = Array("id,name\nP1,ok\nP2,".utf8)
        bytes += [0xD5, 0xD4]  // 赵 in GBK
        bytes += Array("\n".utf8)
        guard case .failure(let f) = RegistryCSV.read(bytes) else { Issue.record("must fail"); return }
        #expect(f.problems.map(\.line) == [3] && f.problems[0].message.contains("UTF-8"))
    }

    @Test("a quoted value may hold a line break; line numbers still count physical lines")
    func multiline() {
        guard case .failure(let f) = read("id,name,contractor\nP1,\"two\nlines\",no\nP2,x,maybe\n") else {
            Issue.record("must fail"); return
        }
        #expect(f.problems.map(\.line) == [4])
    }
}
