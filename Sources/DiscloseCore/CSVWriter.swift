import Foundation

/// The one way this project writes CSV (RFC 4180, CRLF rows). Every report passes through it,
/// so a value taken from evidence cannot become a spreadsheet formula: the reports name
/// custodians, file names and subjects a hostile sender chose, and reviewers open them in Excel.
public enum CSVWriter {
    /// A cell that starts with one of these is read as a formula (or, for tab and CR, lets the
    /// next character be) by Excel, LibreOffice and Google Sheets. OWASP's list.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// One cell, quoted when it must be. A formula-looking cell is neutralised as OWASP
    /// recommends: a leading `'` and quotes, so the spreadsheet shows the text as written. A plain
    /// negative number is neutralised too; the reports hold no numbers a sheet must compute with.
    public static func field(_ s: String) -> String {
        // By scalar, not Character: Swift reads "\r\n" as one Character equal to neither.
        if let first = s.unicodeScalars.first, formulaStarts.contains(first) {
            return "\"'" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        if s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    public static func line(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    /// A whole file: the header row, then the rows, as UTF-8.
    public static func data(header: [String], rows: [[String]]) -> Data {
        var s = line(header)
        for r in rows { s += line(r) }
        return Data(s.utf8)
    }
}
