import EmporiumCore
import Identity

/// Principals for tests.
public enum TestUsers {
    public static let seller = Principal(userID: UserID("seller-1"), roles: [.seller])
    public static let otherSeller = Principal(userID: UserID("seller-2"), roles: [.seller])
    public static let buyer = Principal(userID: UserID("buyer-1"), roles: [.buyer])
    public static let admin = Principal(userID: UserID("admin-1"), roles: [.admin])
}

/// A fixed HS256 secret for tests (32+ bytes).
public let testJWTSecret = "emporium-test-secret-0123456789abcdef"
