import ArgumentParser

/// A command-line subcommand a service contributes to `emporium` (`emporium seed`, …).
///
/// The command declares its own flags; the executable adds the database flags, provisions the
/// database (or the private cluster), applies every service's migrations and then calls ``run(in:)``.
public protocol ServiceCommand: ParsableArguments, Sendable {
    /// Name, abstract and discussion, as for any ArgumentParser command.
    static var configuration: CommandConfiguration { get }

    func run(in context: ServiceContext) async throws
}
