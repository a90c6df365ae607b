#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether `needle`'s UTF-8 bytes occur in this string's, found with `memchr` and `memcmp`.
    /// For hot paths: Foundation's `contains` goes through `NSString`, and the standard
    /// library's `firstRange(of:)` through a generic searcher, which alone was a tenth of the CPU
    /// of a cached answer (docs/BENCHMARKS.md, #14). `ignoringASCIICase` folds A–Z to a–z in both.
    public func containsBytes(of needle: String, ignoringASCIICase: Bool = false) -> Bool {
        var haystack = self
        var needle = needle
        guard ignoringASCIICase else {
            return haystack.withUTF8 { h in needle.withUTF8 { n in Self.finds(h, n) } }
        }
        let folded = haystack.utf8.map(Self.foldASCII)
        let foldedNeedle = needle.utf8.map(Self.foldASCII)
        return folded.withUnsafeBufferPointer { h in foldedNeedle.withUnsafeBufferPointer { n in Self.finds(h, n) } }
    }

    private static func foldASCII(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func finds(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count, let h = haystack.baseAddress, let n = needle.baseAddress else { return false }
        // memchr to each candidate first byte, memcmp there (memmem is a GNU extension that
        // Swift's Glibc module does not export).
        let last = haystack.count - needle.count
        var start = 0
        while start <= last {
            guard let found = memchr(h + start, Int32(n.pointee), last - start + 1) else { return false }
            let at = UnsafeRawPointer(h).distance(to: UnsafeRawPointer(found))
            if memcmp(h + at, n, needle.count) == 0 { return true }
            start = at + 1
        }
        return false
    }
}
