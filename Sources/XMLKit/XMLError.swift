/// Failures reported by XMLKit; each carries libxml2's message where it gave one.
public enum XMLError: Error, CustomStringConvertible, Sendable, Equatable {
    case parse(String)
    case write(String)
    case schema(String)

    public var description: String {
        switch self {
        case .parse(let m): return "XML parse error: \(m)"
        case .write(let m): return "XML write error: \(m)"
        case .schema(let m): return "XML schema error: \(m)"
        }
    }
}
