import CordonCore
import CordonTestSupport
import Testing

/// `registry.upsert` is all or nothing: a request that is malformed, or that would give one tag
/// to two things, changes nothing (docs/protocol.md, "registry.upsert").
@Suite("registry.upsert changes nothing unless every record in it can be taken")
struct RegistryUpsertTests {
    static func engine() throws -> Engine {
        var s = TestSite()
        s.zone("Z-YARD", TestSite.rect(0, 0, 100, 100))
        return Engine(site: try s.load())
    }

    static func code(_ r: ControlResult) -> String? {
        if case .failure(let e) = r.reply { return e.code }
        return nil
    }

    @Test("two references in one request with the same tag: a conflict, and the person beside them is not taken either")
    func sameTagTwiceInARequest() throws {
        let e = try Self.engine()
        let r = e.control(["op": "registry.upsert", "people": [["id": "P1", "name": "张三", "tag": "T1"]],
                           "references": [["id": "REF-1", "tag": "TR1", "x": 10, "y": 10],
                                          ["id": "REF-2", "tag": "TR1", "x": 20, "y": 20]]], at: at(0))
        #expect(Self.code(r) == "conflict")
        #expect(e.registry.people["P1"] == nil)
        #expect(e.registry.references.isEmpty)
    }

    @Test("a reference may not take a tag a person carries")
    func referenceOnAPersonsTag() throws {
        let e = try Self.engine()
        _ = e.control(["op": "registry.upsert", "people": [["id": "P1", "name": "张三", "tag": "T1"]]], at: at(0))
        let r = e.control(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "T1", "x": 10, "y": 10]]], at: at(1))
        #expect(Self.code(r) == "conflict")
        #expect(e.registry.references.isEmpty)
        #expect(e.registry.owner(ofTag: "T1") == .person("P1"))
    }

    @Test("a reference may not take another reference's tag, and a person may not take a reference's")
    func referenceTagsAreTheirOwn() throws {
        let e = try Self.engine()
        _ = e.control(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "TR1", "x": 10, "y": 10]]], at: at(0))
        let other = e.control(["op": "registry.upsert", "references": [["id": "REF-2", "tag": "TR1", "x": 20, "y": 20]]], at: at(1))
        #expect(Self.code(other) == "conflict")
        #expect(e.registry.references["REF-2"] == nil)
        let person = e.control(["op": "registry.upsert", "people": [["id": "P1", "name": "张三", "tag": "TR1"]]], at: at(2))
        #expect(Self.code(person) == "conflict")
        #expect(e.registry.people["P1"] == nil)
        // The same reference again, moved, is an update, not a conflict.
        let moved = e.control(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "TR1", "x": 12, "y": 10]]], at: at(3))
        #expect(Self.code(moved) == nil)
        #expect(e.registry.references["REF-1"]?.x == 12)
    }

    @Test("a malformed record is refused as invalid before anything is checked against the registry")
    func malformedBeforeConflicts() throws {
        let e = try Self.engine()
        _ = e.control(["op": "registry.upsert", "people": [["id": "P1", "name": "张三", "tag": "T1"]]], at: at(0))
        // The first reference conflicts with P1's tag, the second is not a record at all: the
        // request is wrong as written, which the caller must mend first.
        let r = e.control(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "T1", "x": 10, "y": 10], "REF-2"]], at: at(1))
        #expect(Self.code(r) == "invalid-request")
        #expect(e.registry.references.isEmpty)
    }
}
