import Catalog
import EmporiumCore
import Foundation
import Inventory

/// The data every scenario reads: 1,000 published products over 20 categories (5 departments with
/// 3 subcategories each), 50 sellers with 20 products each, and the stock of every product in
/// two warehouses.
///
/// Derived from the product's index alone, so every run and every commit reads the same catalog:
/// titles alternate Russian and English (brand, kind, model, colour), prices fit the kind, one
/// product in five has a compare-at price, one in seven is out of stock.
struct BenchmarkDataset: Sendable {
    let categories: [Catalog.Category]
    /// Newest first: the order `products(first:)` lists them in.
    let products: [Product]
    let sellers: [UserID]
    let warehouses: [Warehouse]
    let stock: [ProductID: StockLevel]

    /// Creation times count back from a fixed instant, so that cursors are the same every run.
    static let epoch = Date(timeIntervalSince1970: 1_764_000_000)

    init(productCount: Int = 1_000, sellerCount: Int = 50) {
        var categories: [Catalog.Category] = []
        var leaves: [(category: Catalog.Category, kind: Kind)] = []
        for (d, department) in Self.departments.enumerated() {
            let parent = Catalog.Category(
                id: Self.categoryID(d * 10), parentID: nil, slug: Slug(validating: department.slug)!, name: department.name)
            categories.append(parent)
            for (k, kind) in department.kinds.enumerated() {
                let leaf = Catalog.Category(
                    id: Self.categoryID(d * 10 + k + 1), parentID: parent.id, slug: Slug(validating: kind.slug)!, name: kind.categoryName)
                categories.append(leaf)
                leaves.append((leaf, kind))
            }
        }
        self.categories = categories
        sellers = (0..<sellerCount).map { UserID(String(format: "seller-%04d", $0)) }

        var takenSlugs: Set<Slug> = []
        var products: [Product] = []
        products.reserveCapacity(productCount)
        for index in 0..<productCount {
            let (category, kind) = leaves[index % leaves.count]
            var product = Self.product(index, kind: kind, category: category.id, seller: sellers[index % sellerCount])
            var suffix = 2
            while takenSlugs.contains(product.slug) {
                product.slug = Slug(from: product.title).withSuffix(suffix)
                suffix += 1
            }
            takenSlugs.insert(product.slug)
            products.append(product)
        }
        self.products = products

        let main = Warehouse(id: Warehouse.defaultID, code: "DEFAULT", name: "Основной склад")
        let moscow = Warehouse(id: WarehouseID(uuid: UUID(uuidString: "d0000000-0000-4000-8000-000000000002")!), code: "MSK-1", name: "Москва, Южный порт")
        warehouses = [main, moscow]
        stock = Dictionary(uniqueKeysWithValues: products.enumerated().map { index, product in
            (product.id, Self.stockLevel(index, product: product, main: main, moscow: moscow))
        })
    }

    /// Products of `seller`, newest first (what `products(filter: { sellerId })` answers).
    func products(of seller: UserID) -> [Product] {
        products.filter { $0.sellerID == seller }
    }

    func category(_ id: CategoryID?) -> Catalog.Category? {
        categories.first { $0.id == id }
    }

    // MARK: Generation

    private static func product(_ index: Int, kind: Kind, category: CategoryID, seller: UserID) -> Product {
        let brand = brands[(index * 7) % brands.count]
        let model = "\(Character(UnicodeScalar(UInt8(65 + (index * 11) % 26))))\(10 + (index * 37) % 90)"
        let color = (index * 3) % colorsEnglish.count
        let russian = index % 2 == 0
        let title = russian
            ? "\(kind.russian) \(brand) \(model) \(colorsRussian[color])"
            : "\(brand) \(model) \(kind.english) \(colorsEnglish[color])"
        let description = russian
            ? "\(kind.russian) \(brand) \(model): \(featuresRussian[index % featuresRussian.count]). Доставка по всей России."
            : "The \(brand) \(model) \(kind.english.lowercased()) offers \(featuresEnglish[index % featuresEnglish.count]). Ships worldwide."
        let rubles = kind.rubles.lowerBound + Int64((index * 7919) % Int(kind.rubles.count))
        let price: Money
        switch index % 5 {
        case 3: price = Money(amount: rubles * 100 / 90 / 100 * 100 + 99, currency: usd)
        case 4: price = Money(amount: rubles * 100 / 95 / 100 * 100 + 99, currency: eur)
        default: price = Money(amount: rubles * 100 + 90, currency: rub)
        }
        let createdAt = epoch.addingTimeInterval(-Double(index) * 3_600)
        let id = ProductID(uuid: UUID(uuidString: String(format: "b0000000-0000-4000-8000-%012d", index))!)
        return Product(
            id: id, sellerID: seller, title: title, slug: Slug(from: title, fallback: "product"), description: description,
            price: price, compareAtPrice: index % 5 == 1 ? Money(amount: price.amount + price.amount / 5, currency: price.currency) : nil,
            categoryID: category,
            attributes: [
                ProductAttribute(key: "brand", value: brand),
                ProductAttribute(key: "color", value: russian ? colorsRussian[color] : colorsEnglish[color]),
                ProductAttribute(key: "model", value: model),
                ProductAttribute(key: russian ? "гарантия" : "warranty", value: russian ? "12 мес." : "12 months"),
            ],
            imageURLs: (1...2).map { "https://images.emporium.example/products/\(id)/\($0).jpg" },
            status: .published, publishAt: createdAt, createdAt: createdAt, updatedAt: createdAt, version: 1
        )
    }

    private static func stockLevel(_ index: Int, product: Product, main: Warehouse, moscow: Warehouse) -> StockLevel {
        let outOfStock = index % 7 == 3
        let onHand = outOfStock ? 0 : 1 + (index * 13) % 40
        var warehouses = [WarehouseStock(warehouse: main, onHand: onHand, reserved: outOfStock ? 0 : min(onHand, index % 3))]
        if index % 3 == 0 {
            warehouses.append(WarehouseStock(warehouse: moscow, onHand: outOfStock ? 0 : 5 + index % 7, reserved: 0))
        }
        return StockLevel(
            productID: product.id, warehouses: warehouses, lowStockThreshold: StockLevel.defaultLowStockThreshold, isActive: true,
            sellerID: product.sellerID)
    }

    private static func categoryID(_ n: Int) -> CategoryID {
        CategoryID(uuid: UUID(uuidString: String(format: "c0000000-0000-4000-8000-%012d", n))!)
    }

    // MARK: Vocabulary

    struct Kind {
        let english: String
        let russian: String
        let categoryName: String
        let slug: String
        let rubles: ClosedRange<Int64>
    }

    private static let departments: [(name: String, slug: String, kinds: [Kind])] = [
        ("Электроника", "electronics", [
            Kind(english: "Smartphone", russian: "Смартфон", categoryName: "Смартфоны", slug: "smartphones", rubles: 9_900...149_900),
            Kind(english: "Laptop", russian: "Ноутбук", categoryName: "Ноутбуки", slug: "laptops", rubles: 29_900...299_900),
            Kind(english: "Headphones", russian: "Наушники", categoryName: "Наушники", slug: "headphones", rubles: 990...39_900),
        ]),
        ("Дом и кухня", "home", [
            Kind(english: "Coffee maker", russian: "Кофеварка", categoryName: "Кофеварки", slug: "coffee-makers", rubles: 2_490...89_900),
            Kind(english: "Vacuum cleaner", russian: "Пылесос", categoryName: "Пылесосы", slug: "vacuum-cleaners", rubles: 4_990...69_900),
            Kind(english: "Kettle", russian: "Чайник", categoryName: "Чайники", slug: "kettles", rubles: 990...12_900),
        ]),
        ("Одежда и обувь", "clothing", [
            Kind(english: "Jacket", russian: "Куртка", categoryName: "Куртки", slug: "jackets", rubles: 2_990...49_900),
            Kind(english: "Sneakers", russian: "Кроссовки", categoryName: "Кроссовки", slug: "sneakers", rubles: 1_990...29_900),
            Kind(english: "Sweater", russian: "Свитер", categoryName: "Свитеры", slug: "sweaters", rubles: 990...14_900),
        ]),
        ("Спорт и отдых", "sports", [
            Kind(english: "Bicycle", russian: "Велосипед", categoryName: "Велосипеды", slug: "bicycles", rubles: 9_990...199_900),
            Kind(english: "Tent", russian: "Палатка", categoryName: "Палатки", slug: "tents", rubles: 2_990...59_900),
            Kind(english: "Yoga mat", russian: "Коврик для йоги", categoryName: "Коврики для йоги", slug: "yoga-mats", rubles: 490...4_990),
        ]),
        ("Книги", "books", [
            Kind(english: "Novel", russian: "Роман", categoryName: "Художественная литература", slug: "novels", rubles: 290...2_490),
            Kind(english: "Cookbook", russian: "Кулинарная книга", categoryName: "Кулинария", slug: "cookbooks", rubles: 390...3_990),
            Kind(english: "Textbook", russian: "Учебник", categoryName: "Учебники", slug: "textbooks", rubles: 490...5_990),
        ]),
    ]

    private static let brands = [
        "Galaktika", "Nordlicht", "Aurora", "Vektor", "Polaris", "Zenit", "Orion", "Baikal", "Sever", "Altai",
        "Kestrel", "Lumen", "Vertex", "Summit", "Harbor", "Atlas", "Nimbus", "Quasar", "Tundra", "Ember",
    ]
    private static let colorsEnglish = ["black", "white", "silver", "graphite", "blue", "green", "red", "beige", "gold", "purple"]
    private static let colorsRussian = ["чёрный", "белый", "серебристый", "графитовый", "синий", "зелёный", "красный", "бежевый", "золотой", "фиолетовый"]
    private static let featuresEnglish = ["long battery life", "fast charging", "a two-year warranty", "recycled materials", "a slim design"]
    private static let featuresRussian = ["долгая работа от батареи", "быстрая зарядка", "гарантия два года", "переработанные материалы", "тонкий корпус"]

    private static let rub = try! Currency(code: "RUB")
    private static let usd = try! Currency(code: "USD")
    private static let eur = try! Currency(code: "EUR")
}
