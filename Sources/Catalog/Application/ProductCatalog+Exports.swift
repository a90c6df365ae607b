import EmporiumCore
import Foundation
import Identity

extension ProductCatalog {
    /// How long a download link works after `exportJob` hands it out.
    public static let downloadLinkLifetime: TimeInterval = 15 * 60

    /// Starts an export of products to a spreadsheet: a seller's own, or for admins any seller's
    /// (or everyone's). A job writes the file; `exportJob` follows it.
    public func exportProducts(sellerID rawSeller: String?, status rawStatus: String?, format: ProductExport.Format, by principal: Principal?) async throws -> ProductExport {
        let exports = try requireExports()
        let caller = try Permissions.require(principal, anyOf: [.seller])
        let seller: UserID?
        if caller.isAdmin {
            seller = try rawSeller.map { UserID(try ProductRules.sellerID($0, field: "filter.sellerId")) }
        } else {
            guard rawSeller == nil || rawSeller == caller.userID.rawValue else {
                throw EmporiumError(.forbidden, "sellers export their own products")
            }
            seller = caller.userID
        }
        let status = try rawStatus.map { raw in
            guard let status = ProductStatus(rawValue: raw.lowercased()) else {
                throw EmporiumError.badInput("'\(raw.prefix(32))' is not a product status", field: "filter.status")
            }
            return status
        }
        return try await exports.create(ProductExport(
            id: UUID(), requestedBy: caller.userID, sellerID: seller, status: status, format: format, state: .pending, progress: 0, rowCount: 0,
            error: nil, createdAt: Self.millisecondPrecision(clock.now()), finishedAt: nil))
    }

    /// An export its requester (or an admin) follows, with a fresh download link once it is
    /// complete. Anyone else is told there is none.
    public func exportJob(id: UUID, by principal: Principal?) async throws -> (export: ProductExport, downloadPath: String?) {
        let exports = try requireExports()
        let caller = try Permissions.requireAuthenticated(principal)
        guard let export = try await exports.export(id: id), caller.isAdmin || export.requestedBy == caller.userID else {
            throw EmporiumError.notFound("no export with id \(UUIDText.lowercase(id))")
        }
        guard export.state == .completed else { return (export, nil) }
        return (export, try await exports.downloadPath(for: export, expires: clock.now().addingTimeInterval(Self.downloadLinkLifetime)))
    }

    private func requireExports() throws -> any ExportStore {
        guard let exports else { throw EmporiumError(.unavailable, "exports are not available in this deployment") }
        return exports
    }
}
