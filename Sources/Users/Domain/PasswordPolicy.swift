import EmporiumCore

/// What a password must be: 12 to 128 characters (grapheme clusters, as a person counts them).
///
/// Length is the rule that matters (NIST SP 800-63B: no composition rules, a long maximum so
/// that passphrases and password managers work). The list of the most common passwords the
/// issue asks for is not shipped yet (docs/users.md).
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 128

    public static func check(_ password: String, field: String) throws {
        let length = password.count
        guard length >= minimumLength else {
            throw EmporiumError.badInput("the password is too short: use at least \(minimumLength) characters (a few words make a good one)", field: field)
        }
        guard length <= maximumLength else {
            throw EmporiumError.badInput("the password is too long: at most \(maximumLength) characters", field: field)
        }
        // NUL cannot reach bcrypt intact; other control characters are typing accidents.
        try TextRules.refuseControlCharacters(in: password, field: field)
    }
}
