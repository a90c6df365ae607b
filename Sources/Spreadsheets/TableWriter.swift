import Foundation
import NIOCore

/// One cell of an exported table.
public enum TableCell: Sendable, Equatable {
    case text(String)
    /// A number in its decimal spelling ("19.90"), so that no float rounding enters.
    case number(String)
    case empty
}

/// Writes a table row by row to a file, never holding more than a row in memory.
public protocol TableWriter: AnyObject {
    func writeRow(_ cells: [TableCell]) throws
    /// Completes the file; nothing can be written after.
    func finish() throws
}

/// CSV per RFC 4180: fields separated by commas, quoted when they hold a comma, a quote or a line
/// break (quotes doubled), lines ended by CRLF; a UTF-8 byte order mark first, so that spreadsheet
/// programs read Cyrillic as UTF-8. A text beginning with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`: opened in a spreadsheet, a product title must never run as a
/// formula (CSV injection).
public final class CSVWriter: TableWriter {
    private let sink: FileSink

    public init(path: String) throws {
        sink = try FileSink(path: path)
        try sink.write(ByteBuffer(bytes: [0xEF, 0xBB, 0xBF]))
    }

    public func writeRow(_ cells: [TableCell]) throws {
        let line = cells.map { cell -> String in
            switch cell {
            case .empty: return ""
            case .number(let number): return number
            case .text(var text):
                if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
                guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
        }.joined(separator: ",")
        try sink.write(ByteBuffer(string: line + "\r\n"))
    }

    public func finish() throws {
        try sink.close()
    }
}

/// An XLSX workbook (ECMA-376) with one sheet: the ZIP parts a reader needs, the sheet's rows
/// streamed into its deflated entry as they come. Texts are inline strings (no shared-string
/// table to hold in memory); characters XML 1.0 cannot carry are dropped.
public final class XLSXWriter: TableWriter {
    private let file: FileSink
    private let zip: ZIPWriter
    private var row = 0
    private var chunk = ""

    public init(path: String, sheetName: String = "Products") throws {
        file = try FileSink(path: path)
        zip = ZIPWriter(sink: file)
        let name = Self.escape(String(sheetName.prefix(31)))
        try part("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            </Types>
            """)
        try part("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try part("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(name)" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try part("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            </Relationships>
            """)
        try zip.startEntry("xl/worksheets/sheet1.xml")
        try zip.write("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            """)
    }

    public func writeRow(_ cells: [TableCell]) throws {
        row += 1
        chunk += "<row r=\"\(row)\">"
        for (index, cell) in cells.enumerated() {
            let reference = Self.column(index) + String(row)
            switch cell {
            case .empty: continue
            case .number(let number): chunk += "<c r=\"\(reference)\"><v>\(Self.escape(number))</v></c>"
            case .text(let text): chunk += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(text))</t></is></c>"
            }
        }
        chunk += "</row>"
        // Deflating in pieces of about 64 KiB: large enough to compress well, small enough to stay flat.
        if chunk.utf8.count >= 64 * 1024 { try flushChunk() }
    }

    public func finish() throws {
        try flushChunk()
        try zip.write("</sheetData></worksheet>")
        try zip.finishEntry()
        try zip.finish()
        try file.close()
    }

    private func flushChunk() throws {
        guard !chunk.isEmpty else { return }
        try zip.write(chunk)
        chunk = ""
    }

    private func part(_ name: String, _ xml: String) throws {
        try zip.startEntry(name)
        try zip.write(xml)
        try zip.finishEntry()
    }

    /// A, B, … Z, AA, AB, …
    static func column(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// Escaped for XML text and attributes; characters XML 1.0 forbids are dropped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                guard value >= 0x20, !(0xFFFE...0xFFFF).contains(value) else { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
