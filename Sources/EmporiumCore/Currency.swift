/// An ISO 4217 currency with its number of minor-unit digits.
///
/// Only active codes are accepted: an unknown code is a user mistake (`BAD_USER_INPUT`), never a
/// price that silently means nothing.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String
    /// Digits after the decimal point (2 for EUR, 0 for JPY, 3 for KWD).
    public let minorUnitDigits: Int

    public init(code: String, field: String? = nil) throws {
        let normalized = code.uppercased()
        guard let digits = Currency.minorUnits[normalized] else {
            throw EmporiumError.badInput("'\(code.prefix(16))' is not an ISO 4217 currency code", field: field)
        }
        self.code = normalized
        self.minorUnitDigits = digits
    }

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        try self.init(code: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    public static func isKnown(_ code: String) -> Bool { minorUnits[code.uppercased()] != nil }

    // Active ISO 4217 codes. Most have 2 minor digits; the exceptions are listed below.
    private static let minorUnits: [String: Int] = {
        let twoDigit = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD \
            CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD \
            GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD \
            MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP \
            PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS \
            TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWL
            """
        var table: [String: Int] = [:]
        for code in twoDigit.split(separator: " ") { table[String(code)] = 2 }
        for code in ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"] {
            table[code] = 0
        }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] { table[code] = 3 }
        for code in ["CLF", "UYW"] { table[code] = 4 }
        return table
    }()
}
