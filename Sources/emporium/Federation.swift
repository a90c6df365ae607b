import ArgumentParser
import AsyncHTTPClient
import Foundation
import Gateway
import Logging
import Runtime

/// `emporium compose`: the supergraph, from the built-in subgraphs or from running ones.
struct Compose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compose the federation supergraph and write it (for EMPORIUM_SUPERGRAPH), or print the client-facing schema.",
        discussion: "Without --subgraph, composes the subgraphs built into this binary (catalog, inventory). Composition errors name the subgraphs and fields and exit with status 1."
    )

    @Option(name: .customLong("subgraph"), help: "name=url of a running subgraph to ask for its SDL (repeatable).")
    var subgraphs: [String] = []

    @Option(help: "Write the supergraph to this file (default: standard output).")
    var output: String?

    @Flag(help: "Print the client-facing API schema (SDL) instead of the supergraph.")
    var apiSchema = false

    func run() async throws {
        let supergraph: Supergraph
        do {
            supergraph = try await composeSupergraph()
        } catch let error as CompositionError {
            FileHandle.standardError.write(Data("composition failed:\n\(error)\n".utf8))
            throw ExitCode.failure
        }
        let text = apiSchema ? supergraph.apiSDL : supergraph.encoded()
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            print("Wrote \(output) (\(supergraph.subgraphs.map(\.name).joined(separator: ", "))).")
        } else {
            print(text)
        }
    }

    func composeSupergraph() async throws -> Supergraph {
        guard !subgraphs.isEmpty else { return try Supergraph.compose(GatewayAssembly.builtInSubgraphs) }
        let locations = try SubgraphLocation.parseList(subgraphs.joined(separator: ","), variable: "--subgraph")
        // Emporium's subgraph endpoints are internal: the same credential as `serve gateway`.
        let credential = try RuntimeConfiguration.fromEnvironment().internalCredential(logger: Logger(label: "emporium.compose"))
        let client = HTTPSubgraphTransport.makeHTTPClient()
        do {
            let transport = HTTPSubgraphTransport(client: client, credential: credential)
            let sdls = try await SubgraphSDLFetcher.fetchAll(locations.map { ($0.name, Optional($0.url)) }, through: transport)
            try await client.shutdown()
            return try Supergraph.compose(sdls)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// `emporium plan`: how the gateway would run an operation.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the gateway's query plan for an operation (over the built-in subgraphs, or a supergraph file)."
    )

    @Argument(help: "The GraphQL operation, e.g. '{ products(first: 2) { edges { node { title stock { available } } } } }'.")
    var query: String

    @Option(help: "Which operation of the document to plan.")
    var operationName: String?

    @Option(help: "A supergraph written by `emporium compose` (default: the built-in subgraphs).")
    var supergraph: String?

    func run() async throws {
        let graph = try supergraph.map { try Supergraph(decoding: String(contentsOfFile: $0, encoding: .utf8)) }
            ?? Supergraph.compose(GatewayAssembly.builtInSubgraphs)
        do {
            print(try QueryPlanner(supergraph: graph).plan(query: query, operationName: operationName).description)
        } catch {
            FileHandle.standardError.write(Data("cannot plan this operation: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
