import GraphQL

/// The response being built, as flat storage: every object and list of the answer is a node in
/// one array, its fields or items are a range of slots in another, and nodes name their parent by
/// index. No reference cycles, no allocation per node, and null propagation is a walk up the
/// indexes.
///
/// An object node's keys come from its selection plan (``ResponseKeys``), so a node stores values
/// only; the JSON and `Map` writers read keys and values side by side.
struct ResultTree: Sendable {
    enum Slot: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case node(Int)
    }

    struct Node: Sendable {
        /// nil for a list.
        let keys: ResponseKeys?
        /// Where the node's slots start in ``ResultTree/slots``, and how many.
        let start: Int
        let count: Int
        let parent: Int
        let parentSlot: Int
        /// For a list: whether its items are non-null (an object's fields say it in `keys`).
        let itemsNonNull: Bool
    }

    private(set) var nodes: [Node] = []
    private(set) var slots: [Slot] = []
    /// Set when a null reached the root through non-null fields: the response's data is null.
    private(set) var dataIsNull = false

    init(rootKeys: ResponseKeys) {
        nodes.reserveCapacity(32)
        slots.reserveCapacity(256)
        _ = add(keys: rootKeys, count: rootKeys.names.count, parent: -1, parentSlot: 0, itemsNonNull: false)
    }

    private mutating func add(keys: ResponseKeys?, count: Int, parent: Int, parentSlot: Int, itemsNonNull: Bool) -> Int {
        let index = nodes.count
        nodes.append(Node(keys: keys, start: slots.count, count: count, parent: parent, parentSlot: parentSlot, itemsNonNull: itemsNonNull))
        slots.append(contentsOf: repeatElement(.null, count: count))
        if parent >= 0 { set(.node(index), at: parent, parentSlot) }
        return index
    }

    mutating func addObject(_ keys: ResponseKeys, at parent: Int, _ slot: Int) -> Int {
        add(keys: keys, count: keys.names.count, parent: parent, parentSlot: slot, itemsNonNull: false)
    }

    mutating func addList(count: Int, itemsNonNull: Bool, at parent: Int, _ slot: Int) -> Int {
        add(keys: nil, count: count, parent: parent, parentSlot: slot, itemsNonNull: itemsNonNull)
    }

    mutating func set(_ value: Slot, at node: Int, _ slot: Int) {
        slots[nodes[node].start + slot] = value
    }

    /// The slots of one node.
    func slots(of node: Node) -> ArraySlice<Slot> {
        slots[node.start..<node.start + node.count]
    }

    /// A null where a value failed: at this slot if it may be null, else at the nearest nullable
    /// position above it (the spec's null propagation), or the whole data.
    mutating func propagateNull(from node: Int, _ slot: Int) {
        var node = node
        var slot = slot
        while true {
            let current = nodes[node]
            let nonNull = current.keys.map { $0.nonNull[slot] } ?? current.itemsNonNull
            if !nonNull {
                set(.null, at: node, slot)
                return
            }
            guard current.parent >= 0 else {
                dataIsNull = true
                return
            }
            node = current.parent
            slot = current.parentSlot
        }
    }

    /// The response path of a slot: keys for object fields, indexes for list items.
    func path(to node: Int, _ slot: Int) -> IndexPath {
        var elements: [any IndexPathElement] = []
        var node = node
        var slot = slot
        while node >= 0 {
            let current = nodes[node]
            if let keys = current.keys {
                elements.append(keys.names[slot])
            } else {
                elements.append(slot)
            }
            slot = current.parentSlot
            node = current.parent
        }
        return IndexPath(elements.reversed())
    }
}

/// The response keys of one selection plan, in order, with whether each field is non-null.
final class ResponseKeys: Sendable {
    let names: [String]
    /// `"name":` as JSON bytes.
    let json: [[UInt8]]
    let nonNull: [Bool]

    init(names: [String], json: [[UInt8]], nonNull: [Bool]) {
        self.names = names
        self.json = json
        self.nonNull = nonNull
    }
}
