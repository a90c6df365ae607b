import GraphQL
import OrderedCollections

/// Input values: literals in the document, variables and their JSON values, and the invalid
/// values that make request errors.
extension OperationGenerator {
    typealias TypeRef = SchemaShape.TypeRef

    /// A value of one leaf type, as a literal and as the JSON a client would send.
    struct Sample {
        let literal: String
        let json: Map
    }

    static let ids = ["p1", "p2", "p3", "p4", "p5", "d1", "d2", "c1", "c2", "pr1", "pr2", "pr3", "r1", "r2", "r3", "zz9"]
    static let strings = ["", "hello", "Ünïcödé ☃", "quote \" and backslash \\", "two\nlines", "tab\there", "😀 emoji", "é"]

    /// A literal for `type`; deeper than the top of an argument it may be a variable instead.
    /// Not as the single value given for a list: a variable there must be of the list type
    /// (§5.8.5 "All Variable Usages Are Allowed" knows no input coercion).
    mutating func literal(_ type: TypeRef, hint: String, depth: Int, variables allowed: Bool = true) -> String {
        if allowed, depth > 0, random.chance(0.06) { return variable(type, hint: hint) }
        switch type {
        case .nonNull(let inner):
            return literal(inner, hint: hint, depth: depth, nullable: false)
        default:
            return literal(type, hint: hint, depth: depth, nullable: true)
        }
    }

    private mutating func literal(_ type: TypeRef, hint: String, depth: Int, nullable: Bool) -> String {
        if nullable, random.chance(0.1) { return "null" }
        switch type {
        case .nonNull(let inner):
            return literal(inner, hint: hint, depth: depth, nullable: false)
        case .list(let item):
            // A single value where a list is expected is coerced to a list of one (§3.11).
            if random.chance(0.15) { return literal(item, hint: hint, depth: depth + 1, variables: false) }
            let items = (0..<random.int(0...3)).map { _ in literal(item, hint: hint, depth: depth + 1) }
            return "[" + items.joined(separator: random.chance(0.5) ? ", " : " ") + "]"
        case .named(let name):
            let named = shape[name]
            switch named.kind {
            case .inputObject:
                var members = inputFields(of: named, depth: depth).map { field in
                    "\(field.name): \(literal(field.type, hint: "\(name).\(field.name)", depth: depth + 1))"
                }
                if random.chance(0.5) { members.shuffle(using: &random) }
                return "{" + members.joined(separator: ", ") + "}"
            case .enumeration:
                return random.pick(named.enumValues)
            default:
                return sample(name, hint: hint).literal
            }
        }
    }

    /// A new variable of exactly the position's type (or, where that is nullable, sometimes its
    /// non-null version), with a default now and then, and a value given, omitted or null.
    mutating func variable(_ type: TypeRef, hint: String) -> String {
        variableCount += 1
        let name = "v\(variableCount)"
        let declared: TypeRef = !type.isNonNull && random.chance(0.15) ? .nonNull(type) : type
        var defaultValue: String?
        if !declared.isNonNull, random.chance(0.3) {
            // A default is a constant: no variables in it.
            let saved = variables
            defaultValue = literalWithoutVariables(declared, hint: hint)
            variables = saved
        }
        variables.append(VariableDefinition(name: name, type: declared, defaultValue: defaultValue, hint: hint))
        let roll = random.int(0...99)
        if declared.isNonNull || roll < 65 {
            variableValues[name] = value(declared, hint: hint, depth: 0)
        } else if roll < 85 {
            // Omitted: the variable's default, else the argument's default, else absent.
        } else {
            variableValues[name] = .null
        }
        return "$" + name
    }

    private mutating func literalWithoutVariables(_ type: TypeRef, hint: String) -> String {
        switch type {
        case .nonNull(let inner): return literalWithoutVariables(inner, hint: hint)
        case .list(let item): return "[" + literalWithoutVariables(item, hint: hint) + "]"
        case .named(let name):
            let named = shape[name]
            switch named.kind {
            case .inputObject:
                let members = inputFields(of: named, depth: 2).map { "\($0.name): \(literalWithoutVariables($0.type, hint: "\(name).\($0.name)"))" }
                return "{" + members.joined(separator: ", ") + "}"
            case .enumeration: return random.pick(named.enumValues)
            default: return sample(name, hint: hint).literal
            }
        }
    }

    /// The JSON value of a variable of `type`.
    mutating func value(_ type: TypeRef, hint: String, depth: Int) -> Map {
        switch type {
        case .nonNull(let inner):
            return value(inner, hint: hint, depth: depth, nullable: false)
        default:
            return value(type, hint: hint, depth: depth, nullable: true)
        }
    }

    private mutating func value(_ type: TypeRef, hint: String, depth: Int, nullable: Bool) -> Map {
        if nullable, depth > 0, random.chance(0.1) { return .null }
        switch type {
        case .nonNull(let inner):
            return value(inner, hint: hint, depth: depth, nullable: false)
        case .list(let item):
            if random.chance(0.15) { return value(item, hint: hint, depth: depth + 1) }
            return .array((0..<random.int(0...3)).map { _ in value(item, hint: hint, depth: depth + 1) })
        case .named(let name):
            let named = shape[name]
            switch named.kind {
            case .inputObject:
                var members = OrderedDictionary<String, Map>()
                for field in inputFields(of: named, depth: depth) {
                    members[field.name] = value(field.type, hint: "\(name).\(field.name)", depth: depth + 1)
                }
                return .dictionary(members)
            case .enumeration:
                return .string(random.pick(named.enumValues))
            default:
                return sample(name, hint: hint).json
            }
        }
    }

    /// The required fields and some others (fewer deeper down), in a random order.
    private mutating func inputFields(of type: SchemaShape.NamedType, depth: Int) -> [SchemaShape.InputValue] {
        var fields = type.inputFields.filter { field in
            (field.type.isNonNull && !field.hasDefault) || (depth < 2 && random.chance(0.4))
        }
        if random.chance(0.5) { fields.shuffle(using: &random) }
        return fields
    }

    /// A value of a leaf type, from a pool suited to what it is for (ids that exist and one that
    /// does not, type names for `__type`, small counts for `first`…).
    mutating func sample(_ type: String, hint: String) -> Sample {
        switch type {
        case "Int":
            let pool: [Int] = switch hint {
            case "slow.micros", "slowIncrement.micros": [0, 5, 20, 60]
            case "increment.by", "slowIncrement.by", "strictIncrement.by": [-2, -1, 0, 1, 2, 3, 7, 2_147_483_647]
            case _ where hint.hasSuffix(".first"): [-1, 0, 1, 2, 3, 10]
            case "search.limit": [0, 1, 2, 3, 10]
            case "reviews.minStars": [0, 2, 4, 5]
            case "append.times": [0, 1, 2, 3]
            default: [0, 1, -1, 3, 42, 2_147_483_647, -2_147_483_648]
            }
            let number = random.pick(pool)
            return Sample(literal: String(number), json: .number(Number(number)))
        case "Float":
            let (literal, number) = random.pick([
                ("1.5", 1.5), ("-2.25", -2.25), ("1e3", 1000.0), ("2.5E-1", 0.25), ("19.99", 19.99), ("0.0", 0.0), ("3", 3.0), ("100", 100.0),
            ])
            // A whole number is sometimes sent as a JSON integer: Float input coercion accepts it.
            let json: Map = number == number.rounded() && random.chance(0.5) ? .number(Number(Int(number))) : .number(Number(number))
            return Sample(literal: literal, json: json)
        case "Boolean":
            let flag = random.chance(0.5)
            return Sample(literal: flag ? "true" : "false", json: .bool(flag))
        case "ID":
            let id = random.pick(Self.ids + ["p9"])
            if random.chance(0.15) {
                let number = random.pick([7, 42])
                return Sample(literal: String(number), json: random.chance(0.5) ? .number(Number(number)) : .string(String(number)))
            }
            return Sample(literal: Self.stringLiteral(id), json: .string(id))
        case "DateTime":
            let text = random.pick(["2024-01-01T00:00:00Z", "1999-12-31T23:59:59+01:00"])
            return Sample(literal: Self.stringLiteral(text), json: .string(text))
        default:
            let pool: [String] = switch hint {
            case "__type.name": shape.types.keys.sorted() + ["Nope"]
            case "named.name": ["Ada", "Rex", "Lamp", "Tom", "Kitty", "Nobody"]
            case "search.text", "ProductFilter.text": ["", "a", "o", "Ki", "RE", "zz"]
            case "append.entry": ["x", "y", "z", "log \"q\""]
            default: Self.strings
            }
            let text = random.pick(pool)
            if random.chance(0.2), !text.isEmpty, !text.contains("\""), !text.contains("\\"), !text.contains("\t"),
               text.first?.isWhitespace == false, text.last?.isWhitespace == false {
                return Sample(literal: "\"\"\"" + text + "\"\"\"", json: .string(text))
            }
            return Sample(literal: Self.stringLiteral(text, escapeUnicode: random.chance(0.3)), json: .string(text))
        }
    }

    /// A GraphQL string literal (escapes for quotes, backslashes and control characters; non-ASCII
    /// letters as `\uXXXX` when asked).
    static func stringLiteral(_ text: String, escapeUnicode: Bool = false) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\t": literal += "\\t"
            case _ where escapeUnicode && scalar.value > 0x7F && scalar.value <= 0xFFFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                literal += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }

    /// A value `type` refuses (§3.5, §3.10, §3.11 input coercion), or nil where every value is
    /// accepted (the custom scalar). `.undefined` means: leave the required variable out.
    mutating func invalidValue(for type: TypeRef) -> Map? {
        switch type {
        case .nonNull(let inner):
            switch random.int(0...9) {
            case 0...3: return .null
            case 4...5: return .undefined
            default: return invalidValue(for: inner)
            }
        case .list(let item):
            if item.isNonNull, random.chance(0.5) { return .array([.null]) }
            return invalidValue(for: item).map { .array([$0]) }
        case .named(let name):
            let named = shape[name]
            switch (named.kind, name) {
            case (.inputObject, _):
                var members = OrderedDictionary<String, Map>()
                for field in named.inputFields where field.type.isNonNull && !field.hasDefault {
                    members[field.name] = value(field.type, hint: "\(name).\(field.name)", depth: 1)
                }
                if !members.isEmpty, random.chance(0.5) {
                    members.removeFirst()
                } else {
                    members["unknownField"] = .number(Number(1))
                }
                return .dictionary(members)
            case (.enumeration, _): return .string("MAUVE")
            case (_, "Int"): return random.chance(0.5) ? .string("seven") : .number(Number(4_294_967_296))
            case (_, "Float"): return .string("1.5")
            case (_, "String"): return random.chance(0.5) ? .number(Number(5)) : .bool(true)
            case (_, "Boolean"): return .string("yes")
            case (_, "ID"): return .bool(true)
            default: return nil
            }
        }
    }
}
