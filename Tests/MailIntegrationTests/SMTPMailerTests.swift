import EmporiumTesting
import Foundation
import Logging
@testable import Mail
import Testing

/// The SMTP adapter against a real relay (aiosmtpd, `Tests/Fixtures/smtp_sink.py`): what arrives,
/// authentication, refusals, TLS from the first byte, an unreachable or silent relay.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SMTPMailerTests {
    final class Sink: Sendable {
        let process: Process
        let port: Int
        let directory: URL

        init(_ options: [String] = []) async throws {
            try TestServers.admit("an SMTP relay (aiosmtpd)")
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["python3", "-c", "import aiosmtpd"]
            try check.run()
            check.waitUntilExit()
            try #require(check.terminationStatus == 0, "aiosmtpd is missing: python3 -m pip install aiosmtpd (scripts/setup installs it)")
            port = try LocalPort.free()
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-smtp-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/smtp_sink.py")
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, String(port), directory.path] + options
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            try #require(line.contains("listening"), "the SMTP sink did not start: \(line)")
        }

        /// The messages it stored, oldest first.
        func messages() throws -> [[String: Any]] {
            let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
            return try files.map { try JSONSerialization.jsonObject(with: Data(contentsOf: $0)) as? [String: Any] ?? [:] }
        }

        func stop() {
            // SIGKILL: the test runner blocks SIGTERM in its threads, and a child inherits the mask.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Runs `body` with a relay, stopped afterwards whatever happens (a relay left running would
    /// hold the test runner's output open).
    func withSink(_ options: [String] = [], _ body: (Sink) async throws -> Void) async throws {
        let sink = try await Sink(options)
        do {
            try await body(sink)
        } catch {
            sink.stop()
            throw error
        }
        sink.stop()
    }

    let logger = Logger(label: "test.smtp")
    let message = MailMessage(to: "anna@example.com", subject: "Цена снижена", text: "«Чайник»: 12.00 EUR вместо 15.00 EUR.\n.\nКонец")

    func mailer(_ sink: Sink, _ url: String? = nil, trustRoots: String? = nil) throws -> SMTPMailer {
        SMTPMailer(
            configuration: try SMTPConfiguration(url: url ?? "smtp://127.0.0.1:\(sink.port)", fromAddress: "no-reply@emporium.example", trustRootsFile: trustRoots),
            logger: logger)
    }

    @Test func aMessageArrivesWithItsEnvelopeHeadersAndText() async throws {
        try await withSink { sink in
        try await mailer(sink).send(message)
        let stored = try sink.messages()
        #expect(stored.count == 1)
        #expect(stored.first?["from"] as? String == "no-reply@emporium.example")
        #expect(stored.first?["to"] as? [String] == ["anna@example.com"])
        let data = try #require(stored.first?["data"] as? String)
        #expect(data.contains("From: Emporium <no-reply@emporium.example>"))
        #expect(data.contains("Subject: =?utf-8?B?"))
        // The body survives, a line of one dot included (dot-stuffing is undone by the relay).
        #expect(try MailFormat.decodedBody(of: data.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "\r\r\n", with: "\r\n")) == message.text)
        }
    }

    @Test func credentialsAreSentAndAWrongPasswordIsARefusal() async throws {
        try await withSink(["--auth", "relay:s3cret"]) { sink in
        try await mailer(sink, "smtp://relay:s3cret@127.0.0.1:\(sink.port)").send(message)
        #expect(try sink.messages().count == 1)
        await #expect(throws: SMTPError.self) { try await mailer(sink, "smtp://relay:wrong@127.0.0.1:\(sink.port)").send(message) }
        do {
            try await mailer(sink, "smtp://relay:wrong@127.0.0.1:\(sink.port)").send(message)
        } catch let SMTPError.rejected(step, code, _) {
            #expect(step == "the credentials")
            #expect(code == 535)
        }
        // Without credentials the relay refuses the sender.
        await #expect(throws: SMTPError.self) { try await mailer(sink).send(message) }
        }
    }

    @Test func aRefusedRecipientIsAnErrorWithTheRelaysAnswer() async throws {
        try await withSink(["--refuse-recipients"]) { sink in
        do {
            try await mailer(sink).send(message)
            Issue.record("a refused recipient was not an error")
        } catch let error as SMTPError {
            #expect(error == .rejected(step: "the recipient", code: 550, text: "5.1.1 no such mailbox"))
        }
        #expect(try sink.messages().isEmpty)
        }
    }

    /// A throwaway certificate for `localhost` (and its key), valid for a day.
    static func makeCertificate(in directory: URL) throws -> (cert: String, key: String) {
        let (cert, key) = (directory.appendingPathComponent("cert.pem").path, directory.appendingPathComponent("key.pem").path)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
            "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a test certificate (apt-get install openssl)")
        return (cert, key)
    }

    @Test func implicitTLSVerifiesTheRelaysCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-smtp-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (cert, key) = try Self.makeCertificate(in: directory)
        try await withSink(["--tls", cert, key]) { sink in
            try await mailer(sink, "smtps://localhost:\(sink.port)", trustRoots: cert).send(message)
            #expect(try sink.messages().count == 1)
            // Without the relay's CA among the trusted roots, nothing is sent.
            await #expect(throws: (any Error).self) { try await mailer(sink, "smtps://localhost:\(sink.port)").send(message) }
            #expect(try sink.messages().count == 1)
        }
    }

    /// Submission on 587: the credentials and the message travel only after STARTTLS (the relay
    /// refuses AUTH before it), the certificate is verified, and a relay that does not offer
    /// STARTTLS gets nothing — no fallback to plain text.
    @Test func startTLSProtectsTheCredentialsAndNeverFallsBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-smtp-starttls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (cert, key) = try Self.makeCertificate(in: directory)
        try await withSink(["--auth", "relay:s3cret", "--starttls", cert, key]) { sink in
            let url = "smtp+starttls://relay:s3cret@localhost:\(sink.port)"
            try await mailer(sink, url, trustRoots: cert).send(message)
            let stored = try sink.messages()
            #expect(stored.count == 1)
            #expect(stored.first?["to"] as? [String] == ["anna@example.com"])
            // An untrusted certificate ends the conversation before the credentials.
            await #expect(throws: (any Error).self) { try await mailer(sink, url).send(message) }
            // Plain SMTP to the same relay: it requires STARTTLS first and refuses.
            await #expect(throws: SMTPError.self) { try await mailer(sink, "smtp://relay:s3cret@localhost:\(sink.port)").send(message) }
            #expect(try sink.messages().count == 1)
        }
        try await withSink(["--auth", "relay:s3cret"]) { plainOnly in
            do {
                try await mailer(plainOnly, "smtp+starttls://relay:s3cret@localhost:\(plainOnly.port)", trustRoots: cert).send(message)
                Issue.record("sent without TLS to a relay that does not offer STARTTLS")
            } catch let error as SMTPError {
                #expect(error == .rejected(step: "STARTTLS", code: 0, text: "the relay does not offer STARTTLS"))
            }
            #expect(try plainOnly.messages().isEmpty)
        }
    }

    @Test func anUnreachableOrSilentRelayFailsInBoundedTime() async throws {
        let port = try LocalPort.free()
        do {
            let closed = SMTPMailer(configuration: try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)", fromAddress: "a@b.example"), logger: logger)
            try await closed.send(message)
            Issue.record("sent to a closed port")
        } catch let error as SMTPError {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
        try await withSink(["--silent"]) { silent in
        var configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(silent.port)", fromAddress: "no-reply@emporium.example")
        configuration.timeout = .milliseconds(500)
        let started = ContinuousClock.now
        do {
            try await SMTPMailer(configuration: configuration, logger: logger).send(message)
            Issue.record("a silent relay accepted mail")
        } catch let error as SMTPError {
            guard case .timedOut = error else { Issue.record("\(error)"); return }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func configurationIsCheckedAndLinesAreDotStuffed() throws {
        let plain = try SMTPConfiguration(url: "smtp://mailer:p%40ss@relay.internal", fromAddress: "shop@example.com")
        #expect((plain.host, plain.port, plain.security, plain.username, plain.password) == ("relay.internal", 25, .plain, "mailer", "p@ss"))
        let submission = try SMTPConfiguration(url: "smtp+starttls://relay.internal", fromAddress: "a@b")
        #expect((submission.port, submission.security) == (587, .startTLS))
        #expect(try SMTPConfiguration(url: "smtps://relay.internal", fromAddress: "a@b").port == 465)
        #expect(throws: SMTPError.self) { try SMTPConfiguration(url: "http://relay", fromAddress: "a@b") }
        #expect(throws: SMTPError.self) { try SMTPConfiguration(url: "smtp://relay:99999", fromAddress: "a@b") }
        #expect(throws: SMTPError.self) { try SMTPConfiguration(url: "smtp://relay", fromAddress: "not an address") }
        #expect(SMTPMailer.dotStuffed("a\r\n.b\r\n..\r\nc") == "a\r\n..b\r\n...\r\nc")
    }

    @Test func aRecipientThatIsNotAnAddressIsRefusedBeforeConnecting() async throws {
        let mailer = SMTPMailer(configuration: try SMTPConfiguration(url: "smtp://127.0.0.1:1", fromAddress: "a@b.example"), logger: logger)
        do {
            try await mailer.send(MailMessage(to: "x@y.example>\r\nRCPT TO:<victim@z.example", subject: "s", text: "t"))
            Issue.record("an injected recipient was sent")
        } catch let error as SMTPError {
            guard case .rejected(let step, _, _) = error else { Issue.record("\(error)"); return }
            #expect(step == "the recipient")
        }
    }
}
