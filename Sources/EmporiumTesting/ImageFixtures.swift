/// Test images made, and images read back, by Pillow (`Tests/Fixtures/images.py`): a decoder
/// other than the libvips that makes Emporium's thumbnails.
public enum ImageFixtures {
    public enum Kind: String, Sendable {
        case jpeg, png, webp
        /// A JPEG cut after its first third.
        case truncatedJPEG = "truncated-jpeg"
        /// A small PNG claiming `width` × `height` pixels (a decompression bomb).
        case bombPNG = "bomb-png"
        /// Plain text, whatever name it is given.
        case text
    }

    static let install = "Pillow missing? python3 -m pip install pillow"

    public static func make(_ kind: Kind, at path: String, width: Int = 800, height: Int = 600) throws {
        _ = try FixtureScript.run("images.py", ["make", kind.rawValue, path, String(width), String(height)], install: install)
    }

    /// The format Pillow sees ("JPEG", "PNG", "WEBP") and the size, after decoding all of it.
    public static func read(_ path: String) throws -> (format: String, width: Int, height: Int) {
        let object = try FixtureScript.json("images.py", ["read", path], install: install)
        guard let format = object["format"] as? String, let width = object["width"] as? Int, let height = object["height"] as? Int else {
            throw FixtureScript.Failed(description: "images.py read answered \(object)")
        }
        return (format, width, height)
    }
}
