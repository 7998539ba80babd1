import CGsf
import Foundation

/// Writes a compound file from a tree of storages and streams. Tests use it to build .msg
/// files whose every property they know.
public enum OLEWriter {
    public indirect enum Node {
        case stream(String, Data)
        case storage(String, [Node])
    }

    public static func write(_ children: [Node], to path: String) throws {
        _ = OLEFile.initialiseGsf
        var err: UnsafeMutablePointer<GError>? = nil
        guard let out = gsf_output_stdio_new(path, &err) else {
            defer { if err != nil { g_error_free(err) } }
            throw OLEError("cannot create \(path): \(OLEFile.message(err))")
        }
        defer { disclose_gsf_unref_output(out) }
        guard let root = gsf_outfile_msole_new(out) else { throw OLEError("cannot start a compound file") }
        let rootOut = disclose_gsf_outfile_as_output(root)
        defer { disclose_gsf_unref_output(rootOut) }
        try add(children, to: root)
        // Closing the root also closes the file it writes to.
        guard gsf_output_close(rootOut) != 0 else { throw OLEError("cannot finish the compound file") }
    }

    private static func add(_ nodes: [Node], to parent: OpaquePointer) throws {
        for node in nodes {
            switch node {
            case .stream(let name, let data):
                guard let child = gsf_outfile_new_child(parent, name, 0) else { throw OLEError("cannot add stream \(name)") }
                defer { disclose_gsf_unref_output(child) }
                let ok = data.withUnsafeBytes { buf -> Bool in
                    guard let base = buf.baseAddress, buf.count > 0 else { return true }
                    return gsf_output_write(child, buf.count, base.assumingMemoryBound(to: UInt8.self)) != 0
                }
                guard ok, gsf_output_close(child) != 0 else { throw OLEError("cannot write stream \(name)") }
            case .storage(let name, let kids):
                guard let child = gsf_outfile_new_child(parent, name, 1) else { throw OLEError("cannot add storage \(name)") }
                defer { disclose_gsf_unref_output(child) }
                try add(kids, to: disclose_gsf_output_as_outfile(child))
                guard gsf_output_close(child) != 0 else { throw OLEError("cannot finish storage \(name)") }
            }
        }
    }
}
