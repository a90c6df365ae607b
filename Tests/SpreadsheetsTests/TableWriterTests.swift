import EmporiumTesting
import Foundation
import NIOCore
@testable import Spreadsheets
import Testing

/// The writers' files, read back by third-party readers (PyPI `openpyxl`, Python's `csv`).
@Suite(.timeLimit(.minutes(2))) struct TableWriterTests {
    static let rows: [[TableCell]] = [
        [.text("id"), .text("title"), .text("price"), .text("description")],
        [.text("a1"), .text("Самовар «Тула» & Co"), .number("1999.90"), .text("Line one\nline two, with \"quotes\"")],
        [.text("a2"), .text("=HYPERLINK(\"http://evil\")"), .number("0.01"), .empty],
        [.text("a3"), .text("<b>not markup</b>\u{1}"), .number("12"), .text("ёЁ ЙЦУКЕН 中文 😀")],
    ]

    /// The cell at `row`, `column` as text; nil when empty or absent (readers trim trailing empties).
    static func cell(_ rows: [[Any]], _ row: Int, _ column: Int) -> String? {
        guard rows.indices.contains(row), rows[row].indices.contains(column) else { return nil }
        return rows[row][column] as? String
    }

    static func temporaryPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("emporium-export-\(UUID()).\(suffix)").path
    }

    @Test func openpyxlReadsEveryCellOfTheWorkbookBack() throws {
        let path = Self.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try XLSXWriter(path: path, sheetName: "Товары")
        for row in Self.rows { try writer.writeRow(row) }
        try writer.finish()
        let read = try TableReader.read(path)
        #expect(read["sheet"] as? String == "Товары")
        let rows = try #require(read["rows"] as? [[Any]])
        #expect(rows.count == 4)
        #expect(Self.cell(rows, 1, 1) == "Самовар «Тула» & Co")
        #expect(Self.cell(rows, 1, 2) == "1999.9", "a number, not text")
        #expect(Self.cell(rows, 1, 3) == "Line one\nline two, with \"quotes\"")
        #expect(Self.cell(rows, 2, 1) == "=HYPERLINK(\"http://evil\")", "an inline string is never a formula")
        #expect(Self.cell(rows, 2, 3) == nil)
        #expect(Self.cell(rows, 3, 1) == "<b>not markup</b>", "a character XML cannot carry is dropped")
        #expect(Self.cell(rows, 3, 3) == "ёЁ ЙЦУКЕН 中文 😀")
    }

    @Test func aLargeSheetStreamsThroughManyDeflatedChunks() throws {
        let path = Self.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try XLSXWriter(path: path)
        for index in 0..<20_000 { try writer.writeRow([.text("товар \(index)"), .number(String(index))]) }
        try writer.finish()
        let rows = try #require(try TableReader.read(path)["rows"] as? [[Any]])
        #expect(rows.count == 20_000)
        #expect(Self.cell(rows, 19_999, 0) == "товар 19999")
        #expect(Self.cell(rows, 19_999, 1) == "19999")
    }

    @Test func csvIsRFC4180WithAByteOrderMarkAndNoFormulas() throws {
        let path = Self.temporaryPath("csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CSVWriter(path: path)
        for row in Self.rows { try writer.writeRow(row) }
        try writer.finish()
        let read = try TableReader.read(path)
        #expect(read["bom"] as? Bool == true)
        let rows = try #require(read["rows"] as? [[String]])
        try #require(rows.count == 4 && rows.allSatisfy { $0.count == 4 }, "\(rows)")
        #expect(rows[1] == ["a1", "Самовар «Тула» & Co", "1999.90", "Line one\nline two, with \"quotes\""])
        #expect(rows[2][1] == "'=HYPERLINK(\"http://evil\")", "a formula is defused")
        #expect(rows[2][3] == "")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(String(decoding: bytes, as: UTF8.self).contains("\r\n"), "lines end with CRLF")
    }

    @Test func crcMatchesTheStandardCheckValue() {
        var crc = CRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0xCBF4_3926)
    }

    @Test func columnNamesRunPastZ() {
        #expect([0, 25, 26, 27, 701, 702].map(XLSXWriter.column) == ["A", "Z", "AA", "AB", "ZZ", "AAA"])
    }
}
