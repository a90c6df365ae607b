import ArgumentParser
import Foundation
import Identity
import ServiceKit

/// `emporium keys rotate|list`: the Ed25519 keys access tokens are signed with.
struct KeysCommand: ServiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Rotate or list the keys access tokens are signed with.",
        discussion: """
            rotate: adds a new key and retires the others. Running users processes sign with it within a minute; \
            tokens signed by the old key keep verifying until they expire (15 minutes).
            """
    )

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case rotate, list
    }

    @Argument(help: "rotate or list")
    var action: Action

    func run(in context: ServiceContext) async throws {
        let store = PostgresSigningKeyStore(client: context.postgres, logger: context.logger)
        switch action {
        case .rotate:
            let key = try await store.rotate(at: Date())
            print("New signing key \(key.key.kid); the previous keys are retired and verify until their tokens expire.")
        case .list:
            let keys = try await store.keys(retiredAfter: Date().addingTimeInterval(-30 * 86_400))
            if keys.isEmpty { print("No signing keys yet: the users service makes the first one when it starts.") }
            for stored in keys {
                let state = stored.retiredAt.map { "retired \($0.formatted(.iso8601))" } ?? "signing"
                print("\(stored.key.kid)  created \(stored.createdAt.formatted(.iso8601))  \(state)")
            }
        }
    }
}
