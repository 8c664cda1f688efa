/// Reference tags in the registry (`registry.upsert` `references`, `registry.get`,
/// `registry.remove`): fixed tags at surveyed points whose fixes measure the static error.
extension Engine {
    /// No reference may take a tag someone carries, or another reference's.
    func checkReferenceTagsFree(_ refs: [ReferenceTag]) throws(RequestError) {
        for ref in refs {
            if let owner = registry.owner(ofTag: ref.tag) {
                throw .conflict("reference \(ref.id): tag '\(ref.tag)' is carried by \(owner.kind) \(owner.id); a reference tag is no one's, give it a tag of its own")
            }
            if let held = registry.reference(ofTag: ref.tag), held.id != ref.id {
                throw .conflict("reference \(ref.id): tag '\(ref.tag)' already belongs to reference \(held.id); remove that one first")
            }
        }
    }

    /// A person or vehicle may not take a reference tag's tag: its fixes would be taken for the
    /// reference's, and the person would be no one.
    func checkNotReferenceTags(people: [Person], vehicles: [Vehicle]) throws(RequestError) {
        for (who, tag) in people.map({ ("person \($0.id)", $0.tag) }) + vehicles.map({ ("vehicle \($0.plate)", $0.tag) }) {
            guard let tag, let ref = registry.reference(ofTag: tag) else { continue }
            throw .conflict("\(who): tag '\(tag)' is reference tag \(ref.id)'s; give them another tag, or remove the reference first")
        }
    }

    /// Loads reference tags (also used for `replay --registry` and a restart from the store).
    /// A tag that was reporting as unknown is unknown no longer, and its track is forgotten.
    public func applyReferences(_ refs: [ReferenceTag], at t: Instant) {
        for ref in refs {
            context.registry.upsert(ref)
            unknownTags.registered(tag: ref.tag, at: t, context: &context)
            if slots[.tag(ref.tag)] != nil { forget(.tag(ref.tag), at: t, reason: "registered as reference tag \(ref.id)") }
        }
        if !refs.isEmpty { registryChanged() }
    }

    /// `registry.get` with `reference`: one reference tag.
    func referenceGet(id: String) throws(RequestError) -> [String: Value] {
        guard let ref = registry.references[id] else { throw .notFound("no reference tag with id '\(id)'") }
        var v = RegistryRecords.value(ref)
        if case .object(var o) = v, let last = referenceLast[id] { o["last_fix"] = .time(last); v = .object(o) }
        return ["reference": v]
    }

    /// Every reference tag, by id.
    var referenceList: Value {
        .array(registry.references.values.sorted { $0.id < $1.id }.map(RegistryRecords.value))
    }

    /// `registry.remove` `references`: the ids removed.
    func removeReferences(_ ids: [String]) -> [String] {
        let removed = ids.filter { context.registry.removeReference($0) }
        for id in removed { referenceLast[id] = nil }
        if !removed.isEmpty { registryChanged() }
        return removed
    }
}
