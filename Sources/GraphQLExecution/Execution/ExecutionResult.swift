public import GraphQL
public import NIOCore
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
    public func writeJSON(into out: inout some JSONOutput) {
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

    public func json(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 1024)
        writeJSON(into: &buffer)
        return buffer
    }

    private static func writeNode(_ index: Int, of tree: ResultTree, into out: inout some JSONOutput) {
        let node = tree.nodes[index]
        if let keys = node.keys {
            out.writeJSONByte(UInt8(ascii: "{"))
            for slot in node.slots.indices {
                if slot > 0 { out.writeJSONByte(UInt8(ascii: ",")) }
                keys.json[slot].withUnsafeBytes { out.writeJSONBytes($0) }
                writeSlot(node.slots[slot], of: tree, into: &out)
            }
            out.writeJSONByte(UInt8(ascii: "}"))
        } else {
            out.writeJSONByte(UInt8(ascii: "["))
            for slot in node.slots.indices {
                if slot > 0 { out.writeJSONByte(UInt8(ascii: ",")) }
                writeSlot(node.slots[slot], of: tree, into: &out)
            }
            out.writeJSONByte(UInt8(ascii: "]"))
        }
    }

    private static func writeSlot(_ slot: ResultTree.Slot, of tree: ResultTree, into out: inout some JSONOutput) {
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
            var object = OrderedDictionary<String, Map>(minimumCapacity: node.slots.count)
            for slot in node.slots.indices {
                object[keys.names[slot]] = map(of: node.slots[slot], in: tree)
            }
            return .dictionary(object)
        }
        return .array(node.slots.map { map(of: $0, in: tree) })
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
