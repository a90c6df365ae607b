import EmporiumCore
import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Identity
import Testing

/// Images through the single node: uploaded over HTTP (multipart), made into five sizes in two
/// formats by the catalog's job, shown by `Product.images`, served over HTTP and read back by
/// another decoder; bad uploads are refused at the door with a status, or fail in the job with
/// a reason the seller sees, and the process is unharmed.
@Suite(.serialized, .timeLimit(.minutes(4))) struct ImageUploadEndToEndTests {
    static func token(_ user: String, _ roles: Set<Role>) async throws -> String {
        try await TokenService(keys: .hmacSHA256(secret: testJWTSecret)).issue(userID: UserID(user), roles: roles)
    }

    /// A multipart/form-data upload; `fields` in order, the file last (when given).
    static func upload(
        _ node: EmporiumProcess, productID: String?, file: Data?, fileName: String = "photo.jpg", token: String?,
        contentType: String? = nil
    ) async throws -> (status: Int, body: [String: Any]) {
        try await upload(baseURL: node.baseURL, productID: productID, file: file, fileName: fileName, token: token, contentType: contentType)
    }

    /// ``upload(_:productID:file:fileName:token:contentType:)`` to any `http://host:port`.
    static func upload(
        baseURL: String, productID: String?, file: Data?, fileName: String = "photo.jpg", token: String?, contentType: String? = nil
    ) async throws -> (status: Int, body: [String: Any]) {
        let boundary = "emporium-test-\(UUID().uuidString)"
        var body = Data()
        if let productID {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"productId\"\r\n\r\n\(productID)\r\n".utf8))
        }
        if let file {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8))
            body.append(file)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var request = URLRequest(url: URL(string: baseURL + "/uploads/images")!)
        request.httpMethod = "POST"
        request.setValue(contentType ?? "multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.upload(for: request, from: body)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? ["raw": String(decoding: data, as: UTF8.self)])
    }

    static func image(_ kind: ImageFixtures.Kind, width: Int = 1600, height: Int = 1200) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-upload-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ImageFixtures.make(kind, at: path, width: width, height: height)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func images(_ node: EmporiumProcess, product: String, token: String?) async throws -> [[String: Any]] {
        let answer = try await node.graphQL("/graphql", """
            query($id: ID!) { product(id: $id) { imageUrls images { id state width height error createdAt
              thumb: url(size: THUMBNAIL, format: JPEG) large: url xlarge: url(size: XLARGE, format: JPEG) } } }
            """, variables: ["id": product], token: token)
        return ((answer["data"] as? [String: Any])?["product"] as? [String: Any])?["images"] as? [[String: Any]] ?? []
    }

    static func code(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["code"] as? String }

    @Test func aSellersPhotoBecomesFiveSizesInTwoFormats() async throws {
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": try await TestPostgres.shared.freshDatabaseURL(named: "images_e2e")])
        let seller = try await Self.token("seller-images", [.seller])
        let product = try await Marketplace.createProduct(node, title: "Фотоаппарат", token: seller)
        _ = try await node.graphQL("/graphql", "mutation($id: ID!) { publishProduct(id: $id) { id } }", variables: ["id": product], token: seller)

        let uploaded = try await Self.upload(node, productID: product, file: try Self.image(.jpeg), token: seller)
        #expect(uploaded.status == 201, "\(uploaded.body)")
        let created = try #require(uploaded.body["image"] as? [String: Any])
        #expect(created["state"] as? String == "PENDING" && created["productId"] as? String == product)
        let imageID = try #require(created["id"] as? String)

        var ready: [String: Any] = [:]
        try await eventually("the image's sizes are made", timeout: .seconds(60), interval: .milliseconds(100)) {
            let images = try await Self.images(node, product: product, token: seller)
            #expect(images.first?["state"] as? String != "FAILED", "\(images)")
            ready = images.first ?? [:]
            return ready["state"] as? String == "READY"
        }
        #expect(ready["id"] as? String == imageID && ready["width"] as? Int == 1600 && ready["height"] as? Int == 1200)
        #expect(ready["large"] as? String == "/images/\(imageID)/640.webp")
        #expect(ready["thumb"] as? String == "/images/\(imageID)/64.jpg")
        // Everyone sees a ready image of a public product; the deprecated list ends with it.
        let anonymous = try await Self.images(node, product: product, token: nil)
        #expect(anonymous.map { $0["id"] as? String } == [imageID])
        let urls = try await node.graphQL("/graphql", "query($id: ID!) { product(id: $id) { imageUrls } }", variables: ["id": product])
        #expect(((urls["data"] as? [String: Any])?["product"] as? [String: Any])?["imageUrls"] as? [String] == ["/images/\(imageID)/1280.jpg"])

        for (pixels, height) in [(64, 48), (160, 120), (320, 240), (640, 480), (1280, 960)] {
            for (ext, format, type) in [("jpg", "JPEG", "image/jpeg"), ("webp", "WEBP", "image/webp")] {
                let (body, response) = try await URLSession.shared.data(from: URL(string: node.baseURL + "/images/\(imageID)/\(pixels).\(ext)")!)
                let http = try #require(response as? HTTPURLResponse)
                #expect(http.statusCode == 200)
                #expect(http.value(forHTTPHeaderField: "Content-Type") == type)
                #expect(http.value(forHTTPHeaderField: "Cache-Control")?.contains("immutable") == true)
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-served-\(UUID())").path
                try body.write(to: URL(fileURLWithPath: path))
                defer { try? FileManager.default.removeItem(atPath: path) }
                let read = try ImageFixtures.read(path)
                #expect(read.format == format && read.width == pixels && read.height == height, "\(pixels).\(ext): \(read)")
            }
        }
        for missing in ["/images/\(imageID)/100.jpg", "/images/\(imageID)/64.gif", "/images/\(imageID)/original", "/images/not-an-id/64.jpg", "/images/\(UUIDText.lowercase(UUID()))/64.jpg", "/images/\(imageID)/99999999999999999999.jpg"] {
            let (_, response) = try await URLSession.shared.data(from: URL(string: node.baseURL + missing)!)
            #expect((response as? HTTPURLResponse)?.statusCode == 404, "\(missing)")
        }

        // Removed by its seller: its files go too.
        let other = try await Self.token("seller-other", [.seller])
        let foreign = try await node.graphQL("/graphql", "mutation($id: ID!) { removeProductImage(id: $id) }", variables: ["id": imageID], token: other)
        #expect(((foreign["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "NOT_FOUND", "\(foreign)")
        let removed = try await node.graphQL("/graphql", "mutation($id: ID!) { removeProductImage(id: $id) }", variables: ["id": imageID], token: seller)
        #expect((removed["data"] as? [String: Any])?["removeProductImage"] as? Bool == true, "\(removed)")
        let (_, gone) = try await URLSession.shared.data(from: URL(string: node.baseURL + "/images/\(imageID)/64.jpg")!)
        #expect((gone as? HTTPURLResponse)?.statusCode == 404)
        #expect(try await Self.images(node, product: product, token: seller).isEmpty)
        try await node.stop()
    }

    @Test func badUploadsAreRefusedOrFailWithTheirReasonAndTheProcessGoesOn() async throws {
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": try await TestPostgres.shared.freshDatabaseURL(named: "images_bad")])
        let seller = try await Self.token("seller-bad-images", [.seller])
        let product = try await Marketplace.createProduct(node, title: "Лампа", token: seller)
        let photo = try Self.image(.jpeg, width: 200, height: 150)

        // Refused at the door, with a status and a code.
        var answer = try await Self.upload(node, productID: product, file: photo, token: nil)
        #expect(answer.status == 401, "\(answer.body)")
        answer = try await Self.upload(node, productID: product, file: photo, token: try await Self.token("buyer-1", [.buyer]))
        #expect(answer.status == 403, "\(answer.body)")
        answer = try await Self.upload(node, productID: product, file: photo, token: try await Self.token("seller-else", [.seller]))
        #expect(answer.status == 404 || answer.status == 403, "a draft of another seller is not theirs to see: \(answer.body)")
        answer = try await Self.upload(node, productID: UUIDText.lowercase(UUID()), file: photo, token: seller)
        #expect(answer.status == 404 && Self.code(answer.body) == "NOT_FOUND", "\(answer.body)")
        answer = try await Self.upload(node, productID: "not-an-id", file: photo, token: seller)
        #expect(answer.status == 400 && Self.code(answer.body) == "BAD_USER_INPUT", "\(answer.body)")
        answer = try await Self.upload(node, productID: nil, file: photo, token: seller)
        #expect(answer.status == 400, "\(answer.body)")
        answer = try await Self.upload(node, productID: product, file: nil, token: seller)
        #expect(answer.status == 400, "\(answer.body)")
        answer = try await Self.upload(node, productID: product, file: photo, token: seller, contentType: "application/json")
        #expect(answer.status == 415 && Self.code(answer.body) == "UNSUPPORTED_MEDIA_TYPE", "\(answer.body)")
        answer = try await Self.upload(node, productID: product, file: try Self.image(.text), fileName: "cat.jpg", token: seller)
        #expect(answer.status == 415 && Self.code(answer.body) == "UNSUPPORTED_MEDIA_TYPE", "\(answer.body)")
        answer = try await Self.upload(node, productID: product, file: Data([0xFF, 0xD8, 0xFF]) + Data(count: 21 * 1024 * 1024), token: seller)
        #expect(answer.status == 413 && Self.code(answer.body) == "PAYLOAD_TOO_LARGE", "\(answer.body)")
        answer = try await Self.upload(node, productID: product, file: Data(), token: seller)
        #expect(answer.status == 400, "\(answer.body)")

        // Accepted (they look like images), then failed by the job with the reason.
        var failures: [String: String] = [:]
        for (kind, width) in [(ImageFixtures.Kind.truncatedJPEG, 1600), (.bombPNG, 50_000)] {
            let upload = try await Self.upload(node, productID: product, file: try Self.image(kind, width: width, height: width * 3 / 4), token: seller)
            #expect(upload.status == 201, "\(kind): \(upload.body)")
            failures[try #require((upload.body["image"] as? [String: Any])?["id"] as? String)] = kind.rawValue
        }
        try await eventually("both uploads fail in their job", timeout: .seconds(60), interval: .milliseconds(100)) {
            let images = try await Self.images(node, product: product, token: seller)
            return images.count == 2 && images.allSatisfy { $0["state"] as? String == "FAILED" }
        }
        let images = try await Self.images(node, product: product, token: seller)
        for image in images {
            let error = image["error"] as? String ?? ""
            switch failures[image["id"] as? String ?? ""] {
            case "truncated-jpeg": #expect(error.contains("damaged or truncated"), "\(error)")
            case "bomb-png": #expect(error.contains("50000 × 37500"), "\(error)")
            default: Issue.record("an image nobody uploaded: \(image)")
            }
            #expect(image["large"] is NSNull)
        }
        // Failed images are the seller's to see, not the public's (the product is a draft: publish it).
        _ = try await node.graphQL("/graphql", "mutation($id: ID!) { publishProduct(id: $id) { id } }", variables: ["id": product], token: seller)
        #expect(try await Self.images(node, product: product, token: nil).isEmpty)
        // Their jobs are discarded at once, kept for operators with the reason.
        let admin = try await Self.token("admin-1", [.admin])
        let jobs = try await node.graphQL("/graphql", "{ catalogJobs(state: DISCARDED, kind: \"catalog.product-image\") { attempts lastError } }", token: admin)
        let discarded = (jobs["data"] as? [String: Any])?["catalogJobs"] as? [[String: Any]] ?? []
        #expect(discarded.count == 2 && discarded.allSatisfy { $0["attempts"] as? Int == 1 }, "\(jobs)")

        // And the process still makes thumbnails.
        let good = try await Self.upload(node, productID: product, file: photo, token: seller)
        #expect(good.status == 201, "\(good.body)")
        try await eventually("a good image after the bad ones is made", timeout: .seconds(60), interval: .milliseconds(100)) {
            try await Self.images(node, product: product, token: nil).first?["state"] as? String == "READY"
        }
        try await node.stop()
    }
}
