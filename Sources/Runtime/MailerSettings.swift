import Logging
import Mail
import ServiceKit

/// The process's mail adapter: SMTP when `EMPORIUM_SMTP_URL` is set, else `.eml` files (the
/// default of `ServiceContext`, for the single node and development).
enum MailerSettings {
    static func mailer(_ settings: EnvironmentSettings, logger: Logger) throws -> (any Mailer)? {
        guard let url = settings.string("EMPORIUM_SMTP_URL") else { return nil }
        guard let from = settings.string("EMPORIUM_MAIL_FROM") else {
            throw ConfigurationError("EMPORIUM_SMTP_URL needs EMPORIUM_MAIL_FROM, the sender address the relay accepts (e.g. no-reply@shop.example)")
        }
        do {
            let configuration = try SMTPConfiguration(
                url: url, fromAddress: from, fromName: settings.string("EMPORIUM_MAIL_FROM_NAME") ?? "Emporium",
                trustRootsFile: settings.string("EMPORIUM_SMTP_CA_FILE"))
            return SMTPMailer(configuration: configuration, logger: logger)
        } catch {
            throw ConfigurationError("EMPORIUM_SMTP_URL / EMPORIUM_MAIL_FROM: \(error)")
        }
    }
}
