import Runtime
import ServiceKit
import Testing

/// The event settings a process starts with.
@Suite struct EventSettingsTests {
    @Test func theKafkaFetchWaitComesFromTheEnvironmentWithinItsBounds() throws {
        #expect(try RuntimeConfiguration.fromEnvironment([:]).kafkaFetchWait == .milliseconds(100))
        #expect(try RuntimeConfiguration.fromEnvironment(["EMPORIUM_KAFKA_FETCH_WAIT_MS": "20"]).kafkaFetchWait == .milliseconds(20))
        for bad in ["0", "-5", "10001", "soon", "99999999999999999999"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try RuntimeConfiguration.fromEnvironment(["EMPORIUM_KAFKA_FETCH_WAIT_MS": bad])
            }
        }
    }
}
