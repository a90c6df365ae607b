import CompressNIO
import NIOFoundationCompat
public import Foundation
public import NIOCore

/// Writes a ZIP archive (PKWARE APPNOTE 6.3) front to back, one entry at a time, without
/// holding an entry in memory: each entry's data is deflated as it arrives and its CRC and sizes
/// follow it in a data descriptor (general purpose bit 3), so nothing is ever rewound. What an
/// XLSX file needs: no ZIP64 (an archive stays under 4 GiB and 65,535 entries, checked), no
/// encryption, UTF-8 names.
public final class ZIPWriter {
    public enum Failure: Error, CustomStringConvertible {
        case tooLarge(String)
        case entryOpen

        public var description: String {
            switch self {
            case .tooLarge(let what): "the archive is too large for ZIP without ZIP64: \(what)"
            case .entryOpen: "an entry is still being written"
            }
        }
    }

    private struct CentralEntry {
        let name: [UInt8]
        let crc: UInt32
        let compressedSize: UInt32
        let size: UInt32
        let offset: UInt32
    }

    private let sink: any ZIPSink
    private var offset: UInt64 = 0
    private var entries: [CentralEntry] = []
    private var current: (name: [UInt8], offset: UInt64, crc: CRC32, size: UInt64, compressedSize: UInt64, compressor: any NIOCompressor)?
    private let (dosTime, dosDate): (UInt16, UInt16)

    public init(sink: any ZIPSink, modified: Date = Date()) {
        self.sink = sink
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(secondsFromGMT: 0) ?? .current, from: modified)
        let year = max(1980, min(2107, parts.year ?? 1980))
        dosTime = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
        dosDate = UInt16((year - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
    }

    /// Starts an entry named `name`; its data follows through ``write(_:)``.
    public func startEntry(_ name: String) throws {
        guard current == nil else { throw Failure.entryOpen }
        guard entries.count < 65_535 else { throw Failure.tooLarge("more than 65,535 entries") }
        let nameBytes = Array(name.utf8)
        var header = ByteBuffer()
        header.writeInteger(UInt32(0x0403_4b50), endianness: .little)
        header.writeInteger(UInt16(20), endianness: .little)  // version needed: deflate
        header.writeInteger(UInt16(0x0808), endianness: .little)  // sizes in a data descriptor; UTF-8 names
        header.writeInteger(UInt16(8), endianness: .little)  // deflate
        header.writeInteger(dosTime, endianness: .little)
        header.writeInteger(dosDate, endianness: .little)
        header.writeRepeatingByte(0, count: 12)  // CRC and sizes: in the descriptor
        header.writeInteger(UInt16(nameBytes.count), endianness: .little)
        header.writeInteger(UInt16(0), endianness: .little)
        header.writeBytes(nameBytes)
        let start = offset
        try emit(header)
        let compressor = CompressionAlgorithm.deflate().compressor
        try compressor.startStream()
        current = (nameBytes, start, CRC32(), 0, 0, compressor)
    }

    /// Appends to the open entry.
    public func write(_ bytes: ByteBuffer) throws {
        guard var entry = current else { throw Failure.entryOpen }
        var input = bytes
        input.withUnsafeReadableBytes { entry.crc.update($0) }
        entry.size += UInt64(input.readableBytes)
        var output = ByteBuffer()
        output.reserveCapacity(entry.compressor.maxSize(from: input))
        try entry.compressor.streamDeflate(from: &input, to: &output, flush: .no)
        entry.compressedSize += UInt64(output.readableBytes)
        current = entry
        if output.readableBytes > 0 { try emit(output) }
    }

    public func write(_ text: String) throws {
        try write(ByteBuffer(string: text))
    }

    /// Ends the open entry: the rest of its deflated data, then its descriptor.
    public func finishEntry() throws {
        guard var entry = current else { throw Failure.entryOpen }
        var capacity = 1 << 16
        while true {
            var output = ByteBuffer()
            output.reserveCapacity(capacity)
            do {
                try entry.compressor.finishDeflate(to: &output)
                entry.compressedSize += UInt64(output.readableBytes)
                try emit(output)
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                capacity *= 4
            }
        }
        try entry.compressor.finishStream()
        guard entry.size <= UInt64(UInt32.max), entry.compressedSize <= UInt64(UInt32.max), entry.offset <= UInt64(UInt32.max) else {
            throw Failure.tooLarge("entry \(String(decoding: entry.name, as: UTF8.self)) or its offset passes 4 GiB")
        }
        var descriptor = ByteBuffer()
        descriptor.writeInteger(UInt32(0x0807_4b50), endianness: .little)
        descriptor.writeInteger(entry.crc.value, endianness: .little)
        descriptor.writeInteger(UInt32(entry.compressedSize), endianness: .little)
        descriptor.writeInteger(UInt32(entry.size), endianness: .little)
        try emit(descriptor)
        entries.append(CentralEntry(
            name: entry.name, crc: entry.crc.value, compressedSize: UInt32(entry.compressedSize), size: UInt32(entry.size), offset: UInt32(entry.offset)))
        current = nil
    }

    /// Writes the central directory; the archive is complete after it.
    public func finish() throws {
        guard current == nil else { throw Failure.entryOpen }
        let directoryStart = offset
        for entry in entries {
            var header = ByteBuffer()
            header.writeInteger(UInt32(0x0201_4b50), endianness: .little)
            header.writeInteger(UInt16(0x0314), endianness: .little)  // made by: Unix, 2.0
            header.writeInteger(UInt16(20), endianness: .little)
            header.writeInteger(UInt16(0x0808), endianness: .little)
            header.writeInteger(UInt16(8), endianness: .little)
            header.writeInteger(dosTime, endianness: .little)
            header.writeInteger(dosDate, endianness: .little)
            header.writeInteger(entry.crc, endianness: .little)
            header.writeInteger(entry.compressedSize, endianness: .little)
            header.writeInteger(entry.size, endianness: .little)
            header.writeInteger(UInt16(entry.name.count), endianness: .little)
            header.writeRepeatingByte(0, count: 8)  // extra, comment, disk, internal attributes
            header.writeInteger(UInt32(0o100644) << 16, endianness: .little)  // a regular file, rw-r--r--
            header.writeInteger(entry.offset, endianness: .little)
            header.writeBytes(entry.name)
            try emit(header)
        }
        guard offset <= UInt64(UInt32.max) else { throw Failure.tooLarge("the central directory starts past 4 GiB") }
        var end = ByteBuffer()
        end.writeInteger(UInt32(0x0605_4b50), endianness: .little)
        end.writeRepeatingByte(0, count: 4)  // this disk, the directory's disk
        end.writeInteger(UInt16(entries.count), endianness: .little)
        end.writeInteger(UInt16(entries.count), endianness: .little)
        end.writeInteger(UInt32(offset - directoryStart), endianness: .little)
        end.writeInteger(UInt32(directoryStart), endianness: .little)
        end.writeInteger(UInt16(0), endianness: .little)
        try emit(end)
    }

    private func emit(_ buffer: ByteBuffer) throws {
        offset += UInt64(buffer.readableBytes)
        try sink.write(buffer)
    }
}

/// Where archive (and CSV) bytes go: a file in practice.
public protocol ZIPSink: AnyObject {
    func write(_ buffer: ByteBuffer) throws
}

/// A file written through a buffer of 256 KiB, so that small writes cost no system call each.
public final class FileSink: ZIPSink {
    private let handle: FileHandle
    private var pending = ByteBuffer()
    private static let flushAt = 256 * 1024

    /// Creates (or empties) the file at `path`.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    public func write(_ buffer: ByteBuffer) throws {
        var buffer = buffer
        pending.writeBuffer(&buffer)
        if pending.readableBytes >= Self.flushAt { try flush() }
    }

    public func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard pending.readableBytes > 0 else { return }
        try handle.write(contentsOf: pending.readableBytesView)
        pending.clear()
    }
}

/// CRC-32 (IEEE 802.3, reflected), as ZIP entries carry it.
struct CRC32 {
    private(set) var value: UInt32 = 0

    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = ~value
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        value = ~crc
    }
}
