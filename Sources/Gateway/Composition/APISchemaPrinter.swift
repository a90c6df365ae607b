import Foundation

import OrderedCollections

/// Prints the API schema as SDL: what clients may query, with descriptions and deprecations,
/// without federation directives, internal types or `@inaccessible` elements.
struct APISchemaPrinter {
    let types: OrderedDictionary<String, SupergraphType>

    func print() -> String {
        var blocks: [String] = []
        for type in types.values where !type.inaccessible {
            blocks.append(printType(type))
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private func printType(_ type: SupergraphType) -> String {
        let header = describe(type.description, indent: "")
        switch type.kind {
        case .scalar:
            return header + "scalar \(type.name)"
        case .enumeration:
            let values = type.enumValues.filter { !$0.inaccessible }.map { value in
                describe(value.description, indent: "  ") + "  \(value.name)" + deprecation(value.deprecationReason)
            }
            return header + "enum \(type.name) {\n\(values.joined(separator: "\n"))\n}"
        case .inputObject:
            let fields = type.inputFields.filter { !$0.inaccessible }.map { "  " + printInputValue($0, indent: "  ") }
            return header + "input \(type.name) {\n\(fields.joined(separator: "\n"))\n}"
        case .union:
            let members = type.unionMembers.filter { types[$0]?.inaccessible == false }
            return header + "union \(type.name) = \(members.joined(separator: " | "))"
        case .object, .interface:
            let keyword = type.kind == .object ? "type" : "interface"
            let interfaces = type.interfaces.filter { types[$0]?.inaccessible == false }
            let implements = interfaces.isEmpty ? "" : " implements \(interfaces.joined(separator: " & "))"
            let fields = type.fields.values.filter { !$0.inaccessible }.map { field in
                let arguments = field.arguments.filter { !$0.inaccessible }
                let argumentText = arguments.isEmpty ? "" : "(\(arguments.map { printInputValue($0, indent: nil) }.joined(separator: ", ")))"
                return describe(field.description, indent: "  ") + "  \(field.name)\(argumentText): \(field.type)" + deprecation(field.deprecationReason)
            }
            return header + "\(keyword) \(type.name)\(implements) {\n\(fields.joined(separator: "\n"))\n}"
        }
    }

    private func printInputValue(_ value: InputValue, indent: String?) -> String {
        let description = indent.map { describe(value.description, indent: $0).trimmingLeadingIndent($0) } ?? (value.description.map { "\(quoted($0)) " } ?? "")
        let defaultText = value.defaultValue.map { " = \($0)" } ?? ""
        return description + "\(value.name): \(value.type)\(defaultText)"
    }

    private func deprecation(_ reason: String?) -> String {
        guard let reason else { return "" }
        return " @deprecated(reason: \(quoted(reason)))"
    }

    private func describe(_ description: String?, indent: String) -> String {
        guard let description else { return "" }
        return "\(indent)\(quoted(description))\n"
    }

    /// A GraphQL string literal; always the single-line form, so no block-string edge cases.
    func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

private extension String {
    func trimmingLeadingIndent(_ indent: String) -> String {
        hasPrefix(indent) ? String(dropFirst(indent.count)) : self
    }
}
