import Foundation
@testable import Jobs
import Testing

@Suite struct CronScheduleTests {
    func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func fieldsListsRangesAndSteps() throws {
        let daily = try CronSchedule("0 9 * * *")
        #expect(daily.matches(date("2026-12-04T09:00:00Z")) && !daily.matches(date("2026-12-04T09:01:00Z")))
        let weekdays = try CronSchedule("*/15 8-18 * * 1-5")
        #expect(weekdays.matches(date("2026-12-04T08:45:00Z")), "a Friday")
        #expect(!weekdays.matches(date("2026-12-05T08:45:00Z")), "a Saturday")
        #expect(!weekdays.matches(date("2026-12-04T19:00:00Z")))
        let sunday = try CronSchedule("30 4 * * 7")
        #expect(sunday.matches(date("2026-12-06T04:30:00Z")))
        // Both day fields restricted: either matches.
        let either = try CronSchedule("0 0 1 * 1")
        #expect(either.matches(date("2026-12-01T00:00:00Z")) && either.matches(date("2026-12-07T00:00:00Z")))
        #expect(!either.matches(date("2026-12-02T00:00:00Z")))
    }

    @Test func ticksBetweenTwoTimes() throws {
        let schedule = try CronSchedule("*/20 * * * *")
        let ticks = schedule.ticks(after: date("2026-12-04T10:00:00Z"), through: date("2026-12-04T11:00:00Z"))
        #expect(ticks == [date("2026-12-04T10:20:00Z"), date("2026-12-04T10:40:00Z"), date("2026-12-04T11:00:00Z")])
    }

    @Test func malformedExpressionsAreRefused() {
        for bad in ["", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *", "1,,2 * * * *", "999999999999999999999 * * * *"] {
            #expect(throws: (any Error).self, "\(bad)") { try CronSchedule(bad) }
        }
    }
}
