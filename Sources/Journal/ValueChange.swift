/// One key whose value differs between two parameter sets (dotted path for nested keys).
public struct ValueChange: Hashable, Sendable {
    public let key: String
    public let old: JSONValue?
    public let new: JSONValue?

    public var json: JSONValue {
        .object(["key": .string(key), "old": old ?? .null, "new": new ?? .null,
                 "change": .string(old == nil ? "added" : new == nil ? "removed" : "changed")])
    }

    /// Key-by-key differences of two objects, nested objects flattened to `a.b` keys, sorted by key.
    public static func between(_ old: [String: JSONValue], _ new: [String: JSONValue]) -> [ValueChange] {
        let left = flatten(old, prefix: "")
        let right = flatten(new, prefix: "")
        return Set(left.keys).union(right.keys).sorted(by: CanonicalJSON.precedes).compactMap { key in
            left[key] == right[key] ? nil : ValueChange(key: key, old: left[key], new: right[key])
        }
    }

    private static func flatten(_ members: [String: JSONValue], prefix: String) -> [String: JSONValue] {
        var flat: [String: JSONValue] = [:]
        for (key, value) in members {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if case let .object(inner) = value, !inner.isEmpty {
                flat.merge(flatten(inner, prefix: path)) { _, last in last }
            } else {
                flat[path] = value
            }
        }
        return flat
    }
}
