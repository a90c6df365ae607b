public import GraphQL
import OrderedCollections

/// The answer to one operation: the data as the engine built it, written straight to JSON (or
/// to a `Map` for an in-process caller such as the federation gateway), and the errors.
public struct ExecutionResult: Sendable {
    /// Errors may be replaced (the HTTP edge maps them to codes); data cannot.
    public var errors: [GraphQLError]
    /// Nothing ran: the operation or its variables were refused (a request error).
    public let isRequestError: Bool
    let tree: ResultTree?

    init(errors: [GraphQLError], isRequestError: Bool = false, tree: ResultTree?) {
        self.errors = errors
        self.isRequestError = isRequestError
        self.tree = tree
    }

    static func requestError(_ error: GraphQLError) -> ExecutionResult {
        ExecutionResult(errors: [error], isRequestError: true, tree: nil)
    }

    /// Whether the response has a `data` entry (null or not): not for request errors.
    public var hasData: Bool { tree != nil }

    /// `data` as a `Map`; nil for a request error, `.null` when a null reached the root.
    public var data: Map? {
        guard let tree else { return nil }
        guard !tree.dataIsNull else { return .null }
        return Self.map(of: 0, in: tree)
    }

    /// The response: `{"errors":[…],"data":…}`.
    public func writeJSON(into out: inout [UInt8]) {
        if let tree {
            JSONWriter.writeResponse(errors: errors, into: &out) { out in
                if tree.dataIsNull {
                    JSONWriter.writeRaw("null", into: &out)
                } else {
                    Self.writeNode(0, of: tree, into: &out)
                }
            }
        } else {
            JSONWriter.writeResponse(errors: errors, into: &out, data: nil)
        }
    }

    /// The response as JSON bytes.
    public var json: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        writeJSON(into: &bytes)
        return bytes
    }

    private static func writeNode(_ index: Int, of tree: ResultTree, into out: inout [UInt8]) {
        let node = tree.nodes[index]
        if let keys = node.keys {
            out.append(UInt8(ascii: "{"))
            for slot in 0..<node.count {
                if slot > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: keys.json[slot])
                writeSlot(tree.slots[node.start + slot], of: tree, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        } else {
            out.append(UInt8(ascii: "["))
            for slot in 0..<node.count {
                if slot > 0 { out.append(UInt8(ascii: ",")) }
                writeSlot(tree.slots[node.start + slot], of: tree, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    private static func writeSlot(_ slot: ResultTree.Slot, of tree: ResultTree, into out: inout [UInt8]) {
        switch slot {
        case .null: JSONWriter.writeRaw("null", into: &out)
        case .bool(let value): JSONWriter.writeRaw(value ? "true" : "false", into: &out)
        case .int(let value): JSONWriter.writeInt(value, into: &out)
        case .double(let value): JSONWriter.writeDouble(value, into: &out)
        case .string(let value): JSONWriter.writeString(value, into: &out)
        case .node(let index): writeNode(index, of: tree, into: &out)
        }
    }

    private static func map(of index: Int, in tree: ResultTree) -> Map {
        let node = tree.nodes[index]
        if let keys = node.keys {
            var object = OrderedDictionary<String, Map>(minimumCapacity: node.count)
            for slot in 0..<node.count {
                object[keys.names[slot]] = map(of: tree.slots[node.start + slot], in: tree)
            }
            return .dictionary(object)
        }
        return .array(tree.slots(of: node).map { map(of: $0, in: tree) })
    }

    private static func map(of slot: ResultTree.Slot, in tree: ResultTree) -> Map {
        switch slot {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .number(Number(value))
        case .double(let value): .number(Number(value))
        case .string(let value): .string(value)
        case .node(let index): map(of: index, in: tree)
        }
    }
}
