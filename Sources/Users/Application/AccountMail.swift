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

    /// Sent to the address the account moves to: following it moves the account.
    func emailChange(to user: User, newEmail: Email, token: String, validFor minutes: Int) -> MailMessage {
        let link = "\(publicURL)/account/confirm-email-change?token=\(token)"
        switch user.locale {
        case .ru:
            return MailMessage(to: newEmail.rawValue, subject: "Новый адрес для Emporium", text: """
                Здравствуйте, \(user.displayName)!

                Чтобы письма Emporium приходили на этот адрес, откройте ссылку в течение \(minutes) минут:
                \(link)

                Код для приложения: \(token)

                Если вы ничего не меняли, просто удалите это письмо: адрес останется прежним.
                """)
        case .en:
            return MailMessage(to: newEmail.rawValue, subject: "Your new Emporium address", text: """
                Hello \(user.displayName),

                To receive Emporium mail at this address, open this link within \(minutes) minutes:
                \(link)

                Code for the app: \(token)

                If you changed nothing, delete this mail: your address stays as it is.
                """)
        }
    }

    /// Sent to the old address once the account moved, so that a stolen session cannot take
    /// the account away silently.
    func emailChanged(to user: User, oldEmail: Email) -> MailMessage {
        switch user.locale {
        case .ru:
            return MailMessage(to: oldEmail.rawValue, subject: "Адрес в Emporium изменён", text: """
                Здравствуйте, \(user.displayName)!

                Письма Emporium теперь приходят на \(user.email.rawValue). Если это были не вы, сбросьте пароль и напишите в поддержку.
                """)
        case .en:
            return MailMessage(to: oldEmail.rawValue, subject: "Your Emporium address changed", text: """
                Hello \(user.displayName),

                Emporium mail now goes to \(user.email.rawValue). If this was not you, reset your password and contact support.
                """)
        }
    }
}
