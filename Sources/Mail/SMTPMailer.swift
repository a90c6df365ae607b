import Foundation
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
import Synchronization

/// Sends each message over SMTP (RFC 5321): one connection per message — greeting, EHLO,
/// STARTTLS and EHLO again when configured (RFC 3207), AUTH PLAIN when credentials are configured,
/// MAIL FROM, RCPT TO, DATA, QUIT. A refusal or a
/// timeout throws ``SMTPError`` with the relay's answer; the callers retry (the notifications'
/// mail queue does, with backoff, and keeps what keeps failing).
public struct SMTPMailer: Mailer {
    public let configuration: SMTPConfiguration
    let group: any EventLoopGroup
    let logger: Logger

    public init(configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
    }

    public func send(_ message: MailMessage) async throws {
        guard SMTPConfiguration.isAddress(message.to) else {
            throw SMTPError.rejected(step: "the recipient", code: 0, text: "'\(message.to.prefix(80))' is not a mail address")
        }
        let configuration = configuration
        let tls = try configuration.security == .plain ? nil : Self.tlsContext(configuration)
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls, configuration.security == .implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(try Self.tlsHandler(tls, configuration))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError.unreachable("\(configuration.host):\(configuration.port): \(error)")
        }
        let id = UUID().uuidString.lowercased()
        let domain = configuration.fromAddress.split(separator: "@").last.map(String.init) ?? "emporium.local"
        let text = MailFormat.rfc5322(
            message, from: "\(MailFormat.encodedWord(configuration.fromName)) <\(configuration.fromAddress)>", date: Date(), messageID: "\(id)@\(domain)")
        // One deadline for the whole conversation: when it passes, the connection is closed,
        // which ends the wait for the next reply.
        let timedOut = Flag()
        let deadline = channel.channel.eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(configuration.timeout))) { [raw = channel.channel] in
            timedOut.set()
            raw.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            try await converse(channel, tls: tls, text: text, domain: domain, to: message.to)
        } catch {
            if timedOut.isSet { throw SMTPError.timedOut(step: "within \(configuration.timeout)") }
            throw error
        }
        logger.info("mail sent", metadata: ["mail.relay": "\(configuration.host):\(configuration.port)", "mail.subject": "\(message.subject)"])
    }

    private func converse(
        _ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, tls: NIOSSLContext?, text: String, domain: String, to recipient: String
    ) async throws {
        let configuration = configuration
        try await channel.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            let session = SMTPSession(outbound: outbound)
            try await session.expect(220, "the greeting", from: &replies)
            let extensions = try await session.command("EHLO \(domain)", expect: 250, "EHLO", from: &replies)
            if let tls, configuration.security == .startTLS {
                // Never a silent fallback to plain text: a relay (or someone between) that does
                // not offer STARTTLS gets no credentials and no message.
                guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                    throw SMTPError.rejected(step: "STARTTLS", code: 0, text: "the relay does not offer STARTTLS")
                }
                try await session.command("STARTTLS", expect: 220, "STARTTLS", from: &replies)
                // TLS goes in front of everything: the line decoder then reads decrypted bytes.
                // The relay says nothing more until the client's handshake, so no plain bytes
                // are left behind in the decoder.
                try await channel.channel.pipeline.addHandler(try Self.tlsHandler(tls, configuration), position: .first).get()
                // RFC 3207 4.2: everything learnt before TLS is forgotten; ask again.
                try await session.command("EHLO \(domain)", expect: 250, "EHLO after STARTTLS", from: &replies)
            }
            if let username = configuration.username, let password = configuration.password {
                let credentials = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                try await session.command("AUTH PLAIN \(credentials)", expect: 235, "the credentials", from: &replies)
            }
            try await session.command("MAIL FROM:<\(configuration.fromAddress)>", expect: 250, "the sender", from: &replies)
            try await session.command("RCPT TO:<\(recipient)>", expect: 250, "the recipient", from: &replies)
            try await session.command("DATA", expect: 354, "DATA", from: &replies)
            try await session.command(Self.dotStuffed(text) + ".", expect: 250, "the message", from: &replies)
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return min(seconds, 86_400) * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Lines starting with "." get another (RFC 5321 4.5.2), so no line ends the data early.
    static func dotStuffed(_ text: String) -> String {
        text.split(separator: "\r\n", omittingEmptySubsequences: false).map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }

    /// SNI and the name check need a host name; for an IP address only the certificate chain is
    /// verified.
    static func tlsHandler(_ context: NIOSSLContext, _ configuration: SMTPConfiguration) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : configuration.host)
    }

    static func tlsContext(_ configuration: SMTPConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustRootsFile {
            tls.additionalTrustRoots = [.file(file)]
        }
        return try NIOSSLContext(configuration: tls)
    }
}

/// One conversation: commands out, multi-line replies (`250-…` … `250 …`) in.
struct SMTPSession {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Sends `line` and reads the reply; returns its lines' texts (an EHLO reply lists the
    /// relay's extensions, one per line).
    @discardableResult
    func command(
        _ line: String, expect code: Int, _ step: String, from replies: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    ) async throws -> [String] {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        return try await expect(code, step, from: &replies)
    }

    @discardableResult
    func expect(_ code: Int, _ step: String, from replies: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws -> [String] {
        var text = ""
        var lines: [String] = []
        while true {
            guard let line = try await replies.next() else {
                throw SMTPError.rejected(step: step, code: 0, text: "the connection closed")
            }
            let reply = String(buffer: line).trimmingCharacters(in: .whitespacesAndNewlines)
            guard reply.utf8.count >= 3, let answered = Int(reply.prefix(3)) else {
                throw SMTPError.rejected(step: step, code: 0, text: "not an SMTP reply: \(reply.prefix(80))")
            }
            text += reply.dropFirst(4)
            lines.append(String(reply.dropFirst(4)))
            guard lines.count <= 100 else { throw SMTPError.rejected(step: step, code: answered, text: "a reply of more than 100 lines") }
            // "250-…" continues, "250 …" (or a bare "250") ends the reply.
            if reply.utf8.count > 3, reply[reply.index(reply.startIndex, offsetBy: 3)] == "-" { continue }
            guard answered == code else { throw SMTPError.rejected(step: step, code: answered, text: text) }
            return lines
        }
    }
}

/// Set once, read from any thread.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
