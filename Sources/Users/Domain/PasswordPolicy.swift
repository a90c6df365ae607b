import EmporiumCore
import Foundation

/// What a password must be: 12 to 128 characters (grapheme clusters, as a person counts them),
/// and not one a guesser tries first.
///
/// Length is the rule that matters (NIST SP 800-63B: no composition rules, a long maximum so
/// that passphrases and password managers work), plus the check 800-63B asks for against
/// passwords known to be common: the 30,000 most common ones (`Resources/common-passwords.txt`,
/// docs/users.md), also when padded with digits or symbols ("password2024!"), repeated
/// ("qwertyqwerty") or typed with the keyboard in the Russian layout ("йцукенгшщзхъ" is
/// "qwertyuiop[]"), and runs such as "123456789012" or "aaaaaaaaaaaa".
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
        if let weakness = weakness(of: password) {
            throw EmporiumError.badInput("the password is too easy to guess (\(weakness)); a few unrelated words make a good one", field: field)
        }
    }

    /// Why `password` is among the first a guesser tries, or nil.
    static func weakness(of password: String) -> String? {
        let folded = password.lowercased()
        var forms = [folded]
        let latin = KeyboardLayout.latinKeys(for: folded)
        if latin != folded { forms.append(latin) }
        for form in forms {
            let characters = Array(form)
            if CommonPasswords.all.contains(form) { return "it is one of the most common passwords" }
            let core = String(form.drop { !$0.isLetter }.reversed().drop { !$0.isLetter }.reversed())
            if core.count >= 4, core != form, CommonPasswords.all.contains(core) {
                return "it is a common password with digits or symbols around it"
            }
            if let unit = repeatedUnit(characters), unit.count <= 3 || CommonPasswords.all.contains(String(unit)) {
                return "it repeats \"\(String(unit))\""
            }
            if isSequence(characters) { return "it is a run of consecutive characters" }
        }
        return nil
    }

    /// The shortest piece the whole text is made of, repeated ("abcabcabcabc" → "abc"), or nil.
    static func repeatedUnit(_ characters: [Character]) -> ArraySlice<Character>? {
        let count = characters.count
        for size in 1...max(1, count / 2) where count % size == 0 {
            let unit = characters[0..<size]
            if stride(from: size, to: count, by: size).allSatisfy({ characters[$0..<($0 + size)] == unit }) { return unit }
        }
        return nil
    }

    /// Every character one after the previous one, going up or down ("123456789012", "zyxw…");
    /// digits wrap around (9 then 0) as people type them.
    static func isSequence(_ characters: [Character]) -> Bool {
        let scalars = characters.compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first?.value : nil }
        guard scalars.count == characters.count, scalars.count >= 2 else { return false }
        func step(_ a: UInt32, _ b: UInt32) -> Int? {
            let isDigit: (UInt32) -> Bool = { (48...57).contains($0) }
            if isDigit(a), isDigit(b) {
                let difference = (Int(b) - Int(a) + 10) % 10
                return difference == 1 ? 1 : difference == 9 ? -1 : nil
            }
            let difference = Int(b) - Int(a)
            return abs(difference) == 1 ? difference : nil
        }
        guard let direction = step(scalars[0], scalars[1]) else { return false }
        return zip(scalars.dropFirst(), scalars.dropFirst(2)).allSatisfy { step($0, $1) == direction }
    }
}

/// The most common passwords, lowercased, loaded once from the module's resources (the users
/// service logs an error at start when they are missing: the check would pass everything).
enum CommonPasswords {
    static let all: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return Set(text.split(separator: "\n").lazy.filter { !$0.hasPrefix("#") }.map(String.init))
    }()
}

/// What a word typed with the keyboard in the Russian layout is in the Latin one, key for key.
enum KeyboardLayout {
    private static let russian = Array("йцукенгшщзхъфывапролджэячсмитьбюё")
    private static let latin = Array("qwertyuiop[]asdfghjkl;'zxcvbnm,.`")
    private static let keys = Dictionary(uniqueKeysWithValues: zip(russian, latin))

    static func latinKeys(for text: String) -> String {
        String(text.map { keys[$0] ?? $0 })
    }
}
