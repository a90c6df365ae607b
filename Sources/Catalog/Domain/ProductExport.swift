import EmporiumCore
import Foundation

/// A seller's (or an admin's) export of products to a spreadsheet, made by a job.
public struct ProductExport: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case xlsx, csv

        public var contentType: String {
            switch self {
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    public enum State: String, Sendable {
        case pending, running, completed, failed
    }

    public let id: UUID
    /// Who asked: they (and admins) may read it.
    public let requestedBy: UserID
    /// Whose products; nil: everyone's (admins only).
    public let sellerID: UserID?
    public let status: ProductStatus?
    public let format: Format
    public var state: State
    public var progress: Int
    public var rowCount: Int
    public var error: String?
    public let createdAt: Date
    public var finishedAt: Date?

    /// The blob the file is kept under.
    public var fileName: String { "exports/\(UUIDText.lowercase(id)).\(format.rawValue)" }
}

/// Exports and the job that makes them.
public protocol ExportStore: Sendable {
    /// Records the export and enqueues its job in one transaction.
    func create(_ export: ProductExport) async throws -> ProductExport
    func export(id: UUID) async throws -> ProductExport?
    /// A download path for a completed export, valid until `expires` (signed).
    func downloadPath(for export: ProductExport, expires: Date) async throws -> String
}
