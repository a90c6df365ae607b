import ArgumentParser
import NIOCore
import NIOPosix

// Swift concurrency runs on NIO's event loops, so a request does not hop between NIO's threads
// and the concurrency pool (measured in docs/BENCHMARKS.md). This must happen before any task
// starts, hence top-level code rather than `@main`.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

/// What `AsyncParsableCommand.main()` does. It lives in a function because top-level code
/// resolves `main()` and `run()` to their synchronous overloads.
func runEmporium() async {
    do {
        var command = try Emporium.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        Emporium.exit(withError: error)
    }
}

await runEmporium()
