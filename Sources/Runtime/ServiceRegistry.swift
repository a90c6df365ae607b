import Catalog
import Inventory
import Notifications
import Orders
import ServiceKit
import Users

/// The services this binary contains, in start order (a service after those whose events it
/// consumes). This list is the only place the runtime names a service: a new service is a new
/// module and one line here.
public enum ServiceRegistry {
    public static let all: [ServiceDescriptor] = [
        .catalog,
        .inventory,
        .users,
        .orders,
        .notifications,
    ]

    public static var names: [String] { all.map(\.name) }

    /// The services named by `name` (all of them when nil), or a configuration error that lists
    /// the valid names.
    public static func select(_ name: String?) throws -> [ServiceDescriptor] {
        guard let name else { return all }
        guard let descriptor = all.first(where: { $0.name == name }) else {
            throw ConfigurationError("unknown service '\(name)'; choose one of \(names.joined(separator: ", "))")
        }
        return [descriptor]
    }
}
