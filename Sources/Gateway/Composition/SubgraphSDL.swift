/// One subgraph as composition sees it: its name (used in plans and errors), where it is served
/// (nil for in-process subgraphs), and its federation SDL as `_service { sdl }` returns it.
public struct SubgraphSDL: Sendable, Hashable, Codable {
    public var name: String
    public var url: String?
    public var sdl: String

    public init(name: String, url: String? = nil, sdl: String) {
        self.name = name
        self.url = url
        self.sdl = sdl
    }
}
