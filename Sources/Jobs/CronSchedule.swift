public import Foundation
import EmporiumCore

/// A five-field cron expression (minute hour day-of-month month day-of-week), in UTC: `*`,
/// numbers, ranges `a-b`, lists `a,b` and steps `*/n` or `a-b/n`. Day-of-week 0 or 7 is Sunday.
/// As in cron, when both day fields are restricted a day matching either runs.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool
    public let description: String

    public init(_ expression: String) throws {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw EmporiumError.badInput("a cron schedule has five fields (minute hour day month weekday), got \(fields.count)", field: "schedule")
        }
        minutes = try Self.field(fields[0], 0...59, "minute")
        hours = try Self.field(fields[1], 0...23, "hour")
        days = try Self.field(fields[2], 1...31, "day")
        months = try Self.field(fields[3], 1...12, "month")
        weekdays = Set(try Self.field(fields[4], 0...7, "weekday").map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
        description = fields.joined(separator: " ")
    }

    static func field(_ text: String, _ range: ClosedRange<Int>, _ name: String) throws -> Set<Int> {
        var values: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let stepParts = part.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(stepParts.count) else { throw invalid(text, name) }
            let step = try stepParts.count == 2 ? number(stepParts[1], 1...range.upperBound, text, name) : 1
            let span: ClosedRange<Int>
            if stepParts[0] == "*" {
                span = range
            } else if stepParts[0].contains("-") {
                let bounds = stepParts[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count == 2 else { throw invalid(text, name) }
                let low = try number(bounds[0], range, text, name), high = try number(bounds[1], range, text, name)
                guard low <= high else { throw invalid(text, name) }
                span = low...high
            } else {
                let value = try number(stepParts[0], range, text, name)
                span = value...(stepParts.count == 2 ? range.upperBound : value)
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }

    static func number(_ text: Substring, _ range: ClosedRange<Int>, _ whole: String, _ name: String) throws -> Int {
        guard text.count <= 2, let value = Int(text), range.contains(value) else { throw invalid(whole, name) }
        return value
    }

    static func invalid(_ text: String, _ name: String) -> EmporiumError {
        EmporiumError.badInput("'\(text.prefix(32))' is not a valid cron \(name) field", field: "schedule")
    }

    /// Whether the minute starting at `date` (UTC) is a tick.
    public func matches(_ date: Date) -> Bool {
        let parts = Self.calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month, let weekday = parts.weekday else { return false }
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayMatch = days.contains(day), weekdayMatch = weekdays.contains(weekday - 1)
        if daysRestricted && weekdaysRestricted { return dayMatch || weekdayMatch }
        return dayMatch && weekdayMatch
    }

    /// The ticks after `start` up to and including `end`, at most `limit` (minute starts).
    public func ticks(after start: Date, through end: Date, limit: Int = 1_440) -> [Date] {
        var ticks: [Date] = []
        var minute = (start.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        while minute <= end.timeIntervalSince1970 && ticks.count < limit {
            let date = Date(timeIntervalSince1970: minute)
            if matches(date) { ticks.append(date) }
            minute += 60
        }
        return ticks
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
