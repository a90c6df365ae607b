import Foundation
import Mail

/// The account mails, in the user's language. Links point at `publicURL` (the client
/// application's address); the token is also written on its own line for clients that ask for it.
public struct AccountMail: Sendable {
    public let publicURL: String

    public init(publicURL: String) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    func passwordReset(to user: User, token: String, validFor minutes: Int) -> MailMessage {
        let link = "\(publicURL)/account/reset-password?token=\(token)"
        switch user.locale {
        case .ru:
            return MailMessage(to: user.email.rawValue, subject: "Сброс пароля в Emporium", text: """
                Здравствуйте, \(user.displayName)!

                Кто-то (надеемся, вы) попросил сбросить пароль. Чтобы задать новый, откройте ссылку в течение \(minutes) минут:
                \(link)

                Код для приложения: \(token)

                Если вы ничего не просили, просто удалите это письмо: пароль останется прежним.
                """)
        case .en:
            return MailMessage(to: user.email.rawValue, subject: "Reset your Emporium password", text: """
                Hello \(user.displayName),

                Someone (we hope you) asked to reset your password. To choose a new one, open this link within \(minutes) minutes:
                \(link)

                Code for the app: \(token)

                If it was not you, delete this mail: your password stays as it is.
                """)
        }
    }

    func emailVerification(to user: User, token: String, validFor minutes: Int) -> MailMessage {
        let link = "\(publicURL)/account/verify-email?token=\(token)"
        switch user.locale {
        case .ru:
            return MailMessage(to: user.email.rawValue, subject: "Подтвердите адрес в Emporium", text: """
                Здравствуйте, \(user.displayName)!

                Подтвердите, что это ваш адрес, открыв ссылку в течение \(minutes) минут:
                \(link)

                Код для приложения: \(token)
                """)
        case .en:
            return MailMessage(to: user.email.rawValue, subject: "Confirm your Emporium address", text: """
                Hello \(user.displayName),

                Please confirm this address is yours by opening this link within \(minutes) minutes:
                \(link)

                Code for the app: \(token)
                """)
        }
    }
}
