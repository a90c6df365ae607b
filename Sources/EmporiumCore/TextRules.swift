/// Text as the database stores and counts it.
///
/// PostgreSQL's `length()` (and so every `CHECK` on a length) counts code points — Unicode
/// scalars — while Swift's `String.count` counts grapheme clusters: "e" + U+0301 is one
/// character to Swift and two to PostgreSQL. Limits here are in scalars, so that text accepted
/// by these rules is never refused by a constraint.
///
/// Control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) are refused: NUL
/// cannot be stored in `text` at all, and the others corrupt logs, CSV exports and terminals.
/// Long descriptions may contain line feeds, carriage returns and tabs — multi-line text pasted
/// from an editor — and nothing else of Cc; every other field allows none.
public enum TextRules {
    /// What the database's `length()` returns for `text`.
    public static func length(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.count
    }

    /// Throws `BAD_USER_INPUT` for `field` when `text` contains a control character.
    public static func refuseControlCharacters(in text: some StringProtocol, field: String, allowingLineBreaks: Bool = false) throws {
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            if allowingLineBreaks, scalar == "\n" || scalar == "\r" || scalar == "\t" { continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            throw EmporiumError.badInput("control characters are not allowed here (found \(code))", field: field)
        }
    }
}
