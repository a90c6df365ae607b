import EmporiumCore
import Foundation
import NIOCore

/// Makes one realistic product row: a Russian or English title (brand, kind, model, colour),
/// a description of two or three sentences in the same language, a price fitting the kind,
/// and a plausible status and age.
struct SeedProductGenerator: Sendable {
    let categories: [CatalogSeeder.CategoryChoice]
    /// Seed data is created relative to a fixed instant so that runs are reproducible.
    static let epoch = Date(timeIntervalSince1970: 1_764_000_000)

    struct Row {
        let id: UUID
        let sellerID: String
        let title: String
        let baseSlug: String
        let description: String
        let price: Int64
        let currency: String
        let compareAt: Int64?
        let categoryID: UUID
        let attributesJSON: String
        let imageURL: String
        let status: String
        let publishAt: Date?
        let createdAt: Date

        func appendCopyText(slug: String, to buffer: inout ByteBuffer) {
            let fields: [String] = [
                id.uuidString.lowercased(), sellerID, title, slug, description, String(price), currency,
                compareAt.map(String.init) ?? "\\N", categoryID.uuidString.lowercased(), attributesJSON,
                "{\(imageURL)}", status, publishAt.map(Self.timestamp) ?? "\\N", Self.timestamp(createdAt), Self.timestamp(createdAt), "1",
            ]
            for (index, field) in fields.enumerated() {
                if index > 0 { buffer.writeStaticString("\t") }
                buffer.writeString(Self.escape(field))
            }
            buffer.writeStaticString("\n")
        }

        /// COPY text format: backslash, tab and line breaks must be escaped (`\N` is NULL and kept).
        static func escape(_ field: String) -> String {
            guard field != "\\N", field.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) else { return field }
            return field.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        }

        static func timestamp(_ date: Date) -> String {
            let millis = Int64(date.timeIntervalSince1970 * 1000)
            return isoMillis(millis)
        }

        static func isoMillis(_ millis: Int64) -> String {
            let seconds = millis / 1000
            let fraction = millis % 1000
            var time = time_t(seconds)
            var parts = tm()
            gmtime_r(&time, &parts)
            return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%03d+00", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, Int(fraction))
        }
    }

    func make(index: Int, random: inout SeedRandom) -> Row {
        let choice = random.pick(categories)
        let department = SeedVocabulary.departments[choice.department]
        let kind = department.kinds[choice.kind]
        let brand = random.pick(SeedVocabulary.brands)
        let model = "\(Character(UnicodeScalar(UInt8(65 + random.next() % 26))))\(10 + random.next() % 90)"
        let colorIndex = Int(random.next() % UInt64(SeedVocabulary.colorsEnglish.count))
        let russian = random.chance(55)
        let adjective = Int(random.next() % UInt64(SeedVocabulary.adjectivesEnglish.count))
        let feature1 = Int(random.next() % UInt64(SeedVocabulary.featuresEnglish.count))
        let feature2 = (feature1 + 1 + Int(random.next() % 5)) % SeedVocabulary.featuresEnglish.count
        let title: String
        let description: String
        if russian {
            let color = SeedVocabulary.colorsRussian[colorIndex]
            title = "\(kind.russian) \(brand) \(model) \(color)"
            description = "\(SeedVocabulary.adjectivesRussian[adjective].capitalized) \(kind.russian.lowercased()) от \(brand). "
                + "Модель \(model) предлагает \(SeedVocabulary.featuresRussian[feature1]) и \(SeedVocabulary.featuresRussian[feature2]). "
                + (random.chance(50) ? "Цвет: \(color). Доставка по всей России." : "Отличный выбор для дома и работы.")
        } else {
            let color = SeedVocabulary.colorsEnglish[colorIndex]
            title = "\(brand) \(model) \(kind.english) \(color)"
            description = "A \(SeedVocabulary.adjectivesEnglish[adjective]) \(kind.english.lowercased()) by \(brand). "
                + "The \(model) offers \(SeedVocabulary.featuresEnglish[feature1]) and \(SeedVocabulary.featuresEnglish[feature2]). "
                + (random.chance(50) ? "Colour: \(color). Ships worldwide." : "A great choice for home and work.")
        }
        let currency = random.pick(SeedVocabulary.currencies)
        let units = kind.priceRange.lowerBound + Int64(random.next() % UInt64(kind.priceRange.count))
        // Prices end in 90 kopecks/cents, and foreign currencies are converted at about 90:1.
        var price = (currency == "RUB" ? units * 100 : units * 100 / 90) / 100 * 100 + 90
        price = min(price, Money.maximumAmount)
        let compareAt: Int64? = random.chance(20) ? min(price + price / 5, Money.maximumAmount) : nil
        let ageSeconds = Double(random.next() % (2 * 365 * 86_400))
        let createdAt = Date(timeIntervalSince1970: ((Self.epoch.timeIntervalSince1970 - ageSeconds) * 1000).rounded(.down) / 1000)
        let roll = Int(random.next() % 100)
        let status: String
        var publishAt: Date? = nil
        switch roll {
        case 0..<85: status = "published"; publishAt = createdAt
        case 85..<93: status = "draft"
        case 93..<97: status = "archived"
        default: status = "scheduled"; publishAt = createdAt.addingTimeInterval(Double(random.next() % (60 * 86_400)))
        }
        var uuidBytes = (random.next(), random.next())
        let id = withUnsafeBytes(of: &uuidBytes) { raw -> UUID in
            var bytes = Array(raw)
            bytes[6] = (bytes[6] & 0x0F) | 0x40
            bytes[8] = (bytes[8] & 0x3F) | 0x80
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
        let attributes = #"[{"key":"brand","value":"\#(brand)"},{"key":"color","value":"\#(SeedVocabulary.colorsEnglish[colorIndex])"},{"key":"model","value":"\#(model)"}]"#
        return Row(
            id: id, sellerID: "seller-\(String(format: "%04d", Int(random.next() % 2000)))", title: title,
            baseSlug: Slug(from: title, fallback: "product").rawValue, description: description, price: price,
            currency: currency, compareAt: compareAt, categoryID: choice.id, attributesJSON: attributes,
            imageURL: "https://images.emporium.example/products/\(id.uuidString.lowercased())/1.jpg",
            status: status, publishAt: publishAt, createdAt: createdAt
        )
    }
}
