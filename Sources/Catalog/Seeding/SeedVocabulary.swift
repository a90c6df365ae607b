/// Word lists for realistic, varied seed data in Russian and English.
enum SeedVocabulary {
    struct Department {
        let english: String
        let russian: String
        let slug: String
        let kinds: [(english: String, russian: String, slug: String, priceRange: ClosedRange<Int64>)]
    }

    static let departments: [Department] = [
        Department(english: "Electronics", russian: "Электроника", slug: "electronics", kinds: [
            ("Smartphone", "Смартфон", "smartphones", 9_900...149_900),
            ("Laptop", "Ноутбук", "laptops", 29_900...299_900),
            ("Headphones", "Наушники", "headphones", 990...39_900),
            ("Smartwatch", "Умные часы", "smartwatches", 2_990...59_900),
            ("Tablet", "Планшет", "tablets", 9_990...129_900),
            ("Camera", "Фотоаппарат", "cameras", 19_900...249_900),
        ]),
        Department(english: "Home", russian: "Дом", slug: "home", kinds: [
            ("Coffee maker", "Кофеварка", "coffee-makers", 2_490...89_900),
            ("Vacuum cleaner", "Пылесос", "vacuum-cleaners", 4_990...69_900),
            ("Kettle", "Чайник", "kettles", 990...12_900),
            ("Lamp", "Лампа", "lamps", 590...15_900),
            ("Blender", "Блендер", "blenders", 1_990...24_900),
        ]),
        Department(english: "Clothing", russian: "Одежда", slug: "clothing", kinds: [
            ("Jacket", "Куртка", "jackets", 2_990...49_900),
            ("Sneakers", "Кроссовки", "sneakers", 1_990...29_900),
            ("Dress", "Платье", "dresses", 1_490...19_900),
            ("Sweater", "Свитер", "sweaters", 990...14_900),
            ("Backpack", "Рюкзак", "backpacks", 990...12_900),
        ]),
        Department(english: "Sports", russian: "Спорт", slug: "sports", kinds: [
            ("Bicycle", "Велосипед", "bicycles", 9_990...199_900),
            ("Tent", "Палатка", "tents", 2_990...59_900),
            ("Yoga mat", "Коврик для йоги", "yoga-mats", 490...4_990),
            ("Dumbbells", "Гантели", "dumbbells", 990...19_900),
        ]),
        Department(english: "Books", russian: "Книги", slug: "books", kinds: [
            ("Novel", "Роман", "novels", 290...2_490),
            ("Cookbook", "Кулинарная книга", "cookbooks", 390...3_990),
            ("Textbook", "Учебник", "textbooks", 490...5_990),
        ]),
    ]

    static let brands = [
        "Galaktika", "Nordlicht", "Aurora", "Vektor", "Polaris", "Zenit", "Orion", "Baikal", "Sever", "Altai",
        "Kestrel", "Lumen", "Vertex", "Summit", "Harbor", "Atlas", "Nimbus", "Quasar", "Tundra", "Ember",
    ]

    static let colorsEnglish = ["black", "white", "silver", "graphite", "blue", "green", "red", "beige", "gold", "purple"]
    static let colorsRussian = ["чёрный", "белый", "серебристый", "графитовый", "синий", "зелёный", "красный", "бежевый", "золотой", "фиолетовый"]

    static let adjectivesEnglish = ["compact", "lightweight", "durable", "wireless", "waterproof", "premium", "classic", "professional", "ergonomic", "quiet"]
    static let adjectivesRussian = ["компактный", "лёгкий", "прочный", "беспроводной", "водонепроницаемый", "премиальный", "классический", "профессиональный", "эргономичный", "тихий"]

    static let featuresEnglish = [
        "long battery life", "fast charging", "a two-year warranty", "recycled materials", "a bright display",
        "noise cancellation", "a stainless steel body", "free delivery", "easy care", "a slim design",
    ]
    static let featuresRussian = [
        "долгое время работы от батареи", "быструю зарядку", "гарантию два года", "переработанные материалы", "яркий дисплей",
        "шумоподавление", "корпус из нержавеющей стали", "бесплатную доставку", "простой уход", "тонкий дизайн",
    ]

    static let currencies = ["RUB", "RUB", "RUB", "USD", "EUR"]
}
