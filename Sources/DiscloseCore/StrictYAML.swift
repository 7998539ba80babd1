import Foundation
import Yams

/// A YAML mapping read strictly: every key must be consumed, every value must have the
/// expected type, and errors name the file and the key path (`bates.width`).
public final class YAMLMap {
    public let file: String
    public let path: String
    private let pairs: [(String, Node)]
    private var used = Set<String>()

    public init(file: String, path: String, node: Node) throws {
        self.file = file
        self.path = path
        guard case .mapping(let m) = node else {
            throw DiscloseError.job(path: "\(file): \(path.isEmpty ? "(top level)" : path)", message: "expected a mapping")
        }
        var ps: [(String, Node)] = []
        for (k, v) in m {
            guard let ks = k.string else {
                throw DiscloseError.job(path: "\(file): \(path)", message: "keys must be strings")
            }
            ps.append((ks, v))
        }
        pairs = ps
    }

    public static func load(_ url: URL) throws -> YAMLMap {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw DiscloseError.io(path: url.path, message: "cannot read")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw DiscloseError.job(path: url.path, message: "not valid YAML: \(error)")
        }
        guard let n = node else { throw DiscloseError.job(path: url.path, message: "empty file") }
        return try YAMLMap(file: url.path, path: "", node: n)
    }

    func keyPath(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }

    public func fail(_ key: String, _ message: String) -> DiscloseError {
        .job(path: "\(file): \(keyPath(key))", message: message)
    }

    public func node(_ key: String) -> Node? {
        used.insert(key)
        return pairs.first(where: { $0.0 == key })?.1
    }

    public func has(_ key: String) -> Bool { pairs.contains { $0.0 == key } }

    public func string(_ key: String) throws -> String? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n else { throw fail(key, "expected a string") }
        return s.string
    }

    public func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw fail(key, "required key is missing") }
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail(key, "must not be empty") }
        return s
    }

    public func int(_ key: String) throws -> Int? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n, let v = Int(s.string) else { throw fail(key, "expected an integer") }
        return v
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n else { throw fail(key, "expected true or false") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(key, "expected true or false")
        }
    }

    public func map(_ key: String) throws -> YAMLMap? {
        guard let n = node(key) else { return nil }
        return try YAMLMap(file: file, path: keyPath(key), node: n)
    }

    public func list(_ key: String) throws -> [Node]? {
        guard let n = node(key) else { return nil }
        guard case .sequence(let s) = n else { throw fail(key, "expected a list") }
        return Array(s)
    }

    public func stringList(_ key: String) throws -> [String]? {
        guard let items = try list(key) else { return nil }
        return try items.enumerated().map { i, n in
            guard case .scalar(let s) = n else { throw fail("\(key)[\(i)]", "expected a string") }
            return s.string
        }
    }

    public func mapList(_ key: String) throws -> [YAMLMap]? {
        guard let items = try list(key) else { return nil }
        return try items.enumerated().map { i, n in
            try YAMLMap(file: file, path: keyPath("\(key)[\(i)]"), node: n)
        }
    }

    /// Call first, with every key this mapping may hold: a misspelt key is then reported as
    /// itself ("unknown key 'bate'; did you mean 'bates'?") before the key it was meant to be
    /// is missed.
    public func expect(_ keys: [String]) throws {
        for (k, _) in pairs where !keys.contains(k) {
            throw unknown(k, among: keys)
        }
    }

    /// Call last: any key nobody asked for is a mistake in the file, not something to ignore.
    public func finish() throws {
        for (k, _) in pairs where !used.contains(k) {
            throw unknown(k, among: Array(used))
        }
    }

    func unknown(_ key: String, among known: [String]) -> DiscloseError {
        fail(key, "unknown key" + (Self.suggestion(for: key, among: known).map { "; did you mean '\($0)'?" } ?? ""))
    }

    /// The known key a typo most likely meant: at most two edits away (one for short keys), or
    /// the same but for case, '-' and '_'.
    static func suggestion(for key: String, among known: [String]) -> String? {
        func squash(_ s: String) -> String { s.lowercased().replacingOccurrences(of: "-", with: "_") }
        if let same = known.first(where: { squash($0) == squash(key) }) { return same }
        let limit = key.count <= 4 ? 1 : 2
        return known.map { ($0, editDistance(squash(key), squash($0))) }
            .filter { $0.1 <= limit }
            .min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
