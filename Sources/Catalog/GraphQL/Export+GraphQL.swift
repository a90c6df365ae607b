import EmporiumCore
import Foundation
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// An export as `ExportJob` shows it: with a download path once complete.
struct ExportJobView: Sendable, GraphQLObject {
    let export: ProductExport
    let downloadPath: String?

    var idText: String { UUIDText.lowercase(export.id) }
    var formatValue: ExportFormatValue { export.format == .xlsx ? .XLSX : .CSV }
    var stateValue: ExportStateValue { ExportStateValue(rawValue: export.state.rawValue.uppercased()) ?? .FAILED }
}

enum ExportFormatValue: String, GraphQLEnum {
    case XLSX, CSV
}

enum ExportStateValue: String, GraphQLEnum {
    case PENDING, RUNNING, COMPLETED, FAILED
}

/// `ProductExportFilter` as the client sends it.
struct ProductExportFilterValue: Codable, Sendable {
    let sellerId: String?
    let status: String?
}

extension CatalogResolver {
    @Sendable static func exportProducts(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> ExportJobView {
        let filter = try arguments.decode(ProductExportFilterValue.self, "filter")
        let format: ProductExport.Format = try arguments.requiredString("format") == "CSV" ? .csv : .xlsx
        let export = try await context.catalog.exportProducts(sellerID: filter?.sellerId, status: filter?.status, format: format, by: context.principal)
        return ExportJobView(export: export, downloadPath: nil)
    }

    @Sendable static func exportJob(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> ExportJobView {
        let text = try arguments.requiredString("id")
        guard let id = UUIDText.parse(text) else { throw EmporiumError.badInput("'\(text.prefix(64))' is not an export id", field: "id") }
        let (export, path) = try await context.catalog.exportJob(id: id, by: context.principal)
        return ExportJobView(export: export, downloadPath: path)
    }
}
