import EmporiumCore
import Identity

/// Which products a reader may see: the public sees what is published; sellers also see their
/// own unpublished products; admins see everything.
public enum ProductVisibility: Sendable, Equatable {
    case publicOnly
    case publicOrOwnedBy(UserID)
    case all

    public init(principal: Principal?) {
        guard let principal else { self = .publicOnly; return }
        if principal.isAdmin { self = .all }
        else if principal.has(.seller) { self = .publicOrOwnedBy(principal.userID) }
        else { self = .publicOnly }
    }
}
