import NIOCore

extension ByteBuffer {
    /// A buffer from a hex string (spaces ignored), for byte fixtures.
    init(hex: String) {
        let digits = Array(hex.filter { !$0.isWhitespace })
        var bytes: [UInt8] = []
        var i = 0
        while i + 1 < digits.count {
            bytes.append(UInt8(String(digits[i...i + 1]), radix: 16)!)
            i += 2
        }
        self.init(bytes: bytes)
    }

    var hex: String {
        readableBytesView.map { String(format2: $0) }.joined()
    }
}

extension String {
    init(format2 byte: UInt8) {
        let s = String(byte, radix: 16)
        self = s.count == 1 ? "0" + s : s
    }
}
