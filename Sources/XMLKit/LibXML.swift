import CXML2
import Foundation

/// Collects libxml2's structured errors for one operation instead of letting them reach stderr.
final class ErrorSink {
    private(set) var messages: [String] = []
    private let prefix: String
    private static let cap = 10_000

    init(prefix: String = "") { self.prefix = prefix }

    func add(_ error: xmlError) {
        // Warnings (e.g. "Skipping import of schema") do not make a document invalid.
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue, messages.count < Self.cap else { return }
        var text = error.message.map { String(cString: $0) } ?? "unknown error (code \(error.code))"
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        messages.append("line \(error.line): \(prefix)\(text)")
    }

    func add(_ message: String) { messages.append(message) }
}

enum LibXML {
    /// libxml2 wants xmlInitParser before use from several threads; Swift's lazy global
    /// initialisation runs it exactly once.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// The default generic handler prints to its context FILE*; pointing it at /dev/null silences
    /// the few messages that bypass the structured channel (a Swift function cannot be variadic).
    nonisolated(unsafe) static let devNull: UnsafeMutablePointer<FILE>? = fopen("/dev/null", "w")

    /// Routes every libxml2 error raised on this thread during `body` into `sink`. libxml2 built
    /// with threads keeps these handlers per thread, so concurrent callers do not interfere; the
    /// previous handlers are restored so an embedding application's own setup survives.
    static func capturing<T>(_ sink: ErrorSink, _ body: () throws -> T) rethrows -> T {
        _ = initialized
        let previousStructured = __xmlStructuredError().pointee
        let previousStructuredContext = __xmlStructuredErrorContext().pointee
        let previousGeneric = __xmlGenericError().pointee
        let previousGenericContext = __xmlGenericErrorContext().pointee
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(sink).toOpaque(), structuredHandler)
        xmlSetGenericErrorFunc(devNull, nil)
        defer {
            xmlSetStructuredErrorFunc(previousStructuredContext, previousStructured)
            xmlSetGenericErrorFunc(previousGenericContext, previousGeneric)
        }
        return try withExtendedLifetime(sink) { try body() }
    }

    static let structuredHandler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue().add(error.pointee)
    }

    static func withXMLChars<T>(_ s: String, _ body: (UnsafePointer<xmlChar>) throws -> T) rethrows -> T {
        var bytes = Array(s.utf8)
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    static func string(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }

    static func qualifiedName(_ name: UnsafePointer<xmlChar>?, _ ns: UnsafeMutablePointer<xmlNs>?) -> String {
        let local = string(name)
        if let prefix = ns?.pointee.prefix { return string(prefix) + ":" + local }
        return local
    }
}
