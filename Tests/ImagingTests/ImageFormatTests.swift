import Imaging
import Testing

@Suite struct ImageFormatTests {
    @Test func formatsAreToldByTheirFirstBytes() {
        #expect(ImageFormat.detect([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .jpeg)
        #expect(ImageFormat.detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]) == .png)
        #expect(ImageFormat.detect(Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBP".utf8)) == .webp)
    }

    @Test func anythingElseIsNoImage() {
        #expect(ImageFormat.detect(Array("<svg xmlns=".utf8)) == nil)
        #expect(ImageFormat.detect(Array("GIF89a".utf8)) == nil)
        // A RIFF container of another kind (a WAV sound).
        #expect(ImageFormat.detect(Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVE".utf8)) == nil)
        #expect(ImageFormat.detect([0xFF, 0xD8]) == nil)
        #expect(ImageFormat.detect([UInt8]()) == nil)
    }
}
