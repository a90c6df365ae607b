/// The services one `emporium` process can run. `emporium serve` runs all of them (the single
/// node); `emporium serve <name>` runs one (the distributed topology, one process per service).
public enum ServiceName: String, CaseIterable, Sendable, Comparable {
    case catalog
    case inventory

    public static func < (lhs: ServiceName, rhs: ServiceName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
