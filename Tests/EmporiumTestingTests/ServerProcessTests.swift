import EmporiumTesting
import Testing

@Suite struct ServerProcessTests {
    @Test func stopEndsAProcessAndIsIdempotent() async throws {
        let process = try ServerProcess.start("/bin/sleep", ["30"])
        #expect(process.isRunning)
        let start = ContinuousClock.now
        process.stop(grace: .seconds(3))
        #expect(!process.isRunning)
        // `sleep` dies of SIGTERM at once: the grace period is a bound, not a wait.
        #expect(ContinuousClock.now - start < .seconds(2))
        process.stop()
        #expect(!process.isRunning)
    }

    @Test func aProcessThatExitsBeforeItIsReadyReportsItsStatus() async throws {
        let process = try ServerProcess.start("/bin/sh", ["-c", "exit 3"])
        let error = await #expect(throws: ServerProcess.StartFailed.self) {
            try await process.waitUntilReady(timeout: .seconds(5)) { false }
        }
        #expect(error?.reason == .exited(status: 3))
    }

    @Test func aProcessThatIsNeverReadyTimesOutAndIsStopped() async throws {
        let process = try ServerProcess.start("/bin/sleep", ["30"])
        let error = await #expect(throws: ServerProcess.StartFailed.self) {
            try await process.waitUntilReady(timeout: .milliseconds(100)) { false }
        }
        #expect(error?.reason == .timedOut)
        #expect(!process.isRunning)
    }

    @Test func readyWhenTheProbeHoldsWhileItRuns() async throws {
        let process = try ServerProcess.start("/bin/sleep", ["30"])
        defer { process.stop() }
        var probes = 0
        try await process.waitUntilReady(timeout: .seconds(5)) {
            probes += 1
            return probes == 3
        }
        #expect(probes == 3)
        #expect(process.isRunning)
    }
}

@Suite struct LocalPortTests {
    @Test func aFreePortHasNoListener() throws {
        let port = try LocalPort.free()
        #expect((1024...65535).contains(port))
        #expect(!LocalPort.isListening(port))
    }
}

@Suite struct EventuallyTests {
    @Test func returnsOnceTheConditionHolds() async throws {
        var calls = 0
        try await eventually("the third call", timeout: .seconds(5), interval: .milliseconds(1)) {
            calls += 1
            return calls >= 3
        }
        #expect(calls == 3)
    }

    @Test func throwsNamingWhatItWaitedFor() async throws {
        let error = await #expect(throws: TimedOutWaiting.self) {
            try await eventually("something that never happens", timeout: .milliseconds(50)) { false }
        }
        #expect(error?.description.contains("something that never happens") == true)
    }
}
