import EmporiumTesting
import Foundation
import NIOSSL
import Testing
@testable import Redis
import NIOCore

/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct RedisTLSTests {
    /// A self-signed certificate for `localhost`, made with the `openssl` CLI.
    static func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openssl could not make a certificate")
        return (certificate, key)
    }

    @Test
    func speaksTLSAndVerifiesTheServerName() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (certificate, key) = try Self.makeCertificate(in: directory)
        let tlsPort = try LocalPort.free()
        try await withRedisServer(extraArguments: [
            "--tls-port", "\(tlsPort)", "--tls-cert-file", certificate, "--tls-key-file", key, "--tls-auth-clients", "no",
        ]) { (server: RedisServer) async throws -> Void in
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
            var configuration = server.configuration
            configuration.port = tlsPort
            configuration.tls = .require(tls)
            configuration.tlsServerName = "localhost"
            try await withRedisClient(configuration) { (redis: RedisClient) async throws -> Void in
                let p = uniquePrefix()
                try await redis.set(p + "k", to: "over tls")
                #expect(try await redis.get(p + "k") == .init(string: "over tls"))
            }
            // The wrong name fails certificate verification.
            configuration.tlsServerName = "not-localhost"
            let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(configuration: configuration) }
            #expect(error?.code == .connectionFailed)
        }
    }
}
