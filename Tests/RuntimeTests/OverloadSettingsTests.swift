import GraphQLSupport
import Logging
import ServiceKit
import Testing
@testable import Runtime

@Suite struct OverloadSettingsTests {
    let logger = Logger(label: "test.overload")

    @Test func theGateIsSizedFromTheProcessOrTheSettings() throws {
        let defaults = try RuntimeConfiguration.fromEnvironment([:])
        #expect(defaults.overloadGate(defaultLimit: 40, logger: logger)?.configuration == .init(limit: 40, maximumWait: .seconds(1)))
        let set = try RuntimeConfiguration.fromEnvironment(["EMPORIUM_MAX_IN_FLIGHT": "8", "EMPORIUM_MAX_QUEUE_WAIT_MS": "250"])
        #expect(set.overloadGate(defaultLimit: 40, logger: logger)?.configuration == .init(limit: 8, maximumWait: .milliseconds(250)))
        #expect(try RuntimeConfiguration.fromEnvironment(["EMPORIUM_MAX_IN_FLIGHT": "0"]).overloadGate(defaultLimit: 40, logger: logger) == nil)
        for bad in [("EMPORIUM_MAX_IN_FLIGHT", "-1"), ("EMPORIUM_MAX_IN_FLIGHT", "many"), ("EMPORIUM_MAX_QUEUE_WAIT_MS", "0"), ("EMPORIUM_MAX_QUEUE_WAIT_MS", "99999999999999999999")] {
            #expect(throws: ConfigurationError.self) { try RuntimeConfiguration.fromEnvironment([bad.0: bad.1]) }
        }
    }
}
