import Foundation

/// RFC 5322 text of a message, as an MTA would store it: UTF-8 headers encoded per RFC 2047,
/// the body in base64 (any UTF-8, lines never too long, no dot-stuffing needed).
public enum MailFormat {
    public static func rfc5322(_ message: MailMessage, from: String, date: Date, messageID: String) -> String {
        var lines = [
            "From: \(from)",
            "To: \(headerSafe(message.to))",
            "Subject: \(encodedWord(message.subject))",
            "Date: \(rfc2822Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let body = Data(message.text.utf8).base64EncodedString()
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 76, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A header value with no line breaks (a recipient can never inject headers).
    static func headerSafe(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
    }

    /// `=?utf-8?B?…?=` when the text is not plain printable ASCII.
    static func encodedWord(_ text: String) -> String {
        let safe = headerSafe(text)
        if safe.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return safe }
        return "=?utf-8?B?\(Data(safe.utf8).base64EncodedString())?="
    }

    static func rfc2822Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(days[((parts.weekday ?? 1) - 1) % 7]), \(parts.day ?? 1) \(months[((parts.month ?? 1) - 1) % 12]) \(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
