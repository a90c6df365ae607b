// swift-tools-version:6.2
import PackageDescription

/// The same settings on every target: Swift 6 language mode (the tools-version default)
/// with strict concurrency, explicit `any` for existentials, and members visible only from
/// modules a file imports itself (so every target declares what it uses).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Libraries that may be published on their own also keep their imports internal unless their
/// public API shows a type from them (`public import`): what they expose is stated in each file.
let librarySettings = settings + [.enableUpcomingFeature("InternalImportsByDefault")]

let package = Package(
    name: "Emporium",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "emporium", targets: ["emporium"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "Redis", targets: ["Redis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // MARK: Shared building blocks
        .target(
            name: "EmporiumCore",
            dependencies: [],
            swiftSettings: librarySettings
        ),
        .target(
            name: "Database",
            dependencies: [
                "EmporiumCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [],
            swiftSettings: librarySettings
        ),
        .target(
            name: "Identity",
            dependencies: [
                "EmporiumCore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: librarySettings
        ),
        .target(
            name: "GraphQLSupport",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                "EmporiumCore",
                "Identity",
                "Caching",
                .product(name: "GraphQL", package: "GraphQL"),
                "GraphQLExecution",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: settings
        ),

        // Our GraphQL execution engine: schemas from SDL plus typed resolvers, plans compiled
        // once per operation, breadth-first execution with batch resolvers (docs/graphql.md).
        .target(
            name: "GraphQLExecution",
            dependencies: [
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: librarySettings
        ),
        .target(name: "Contracts", dependencies: [], swiftSettings: librarySettings),
        .target(
            name: "Messaging",
            dependencies: [
                "Contracts",
                "Database",
                "Kafka",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),

        // MARK: Files
        .target(
            name: "Spreadsheets",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: librarySettings
        ),
        .target(
            name: "Blobs",
            dependencies: [
                "Database",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySettings
        ),
        // libvips (Debian libvips-dev) behind a C shim over its variadic calls. Its header needs
        // GLib's, whose configuration header lives under the machine's multiarch directory;
        // named here rather than through pkg-config, whose `-pthread` SwiftPM drops with a warning.
        .target(
            name: "CVips",
            cSettings: [.unsafeFlags([
                "-I/usr/include/glib-2.0", "-I/usr/lib/x86_64-linux-gnu/glib-2.0/include", "-I/usr/lib/aarch64-linux-gnu/glib-2.0/include",
            ])],
            linkerSettings: [.linkedLibrary("vips"), .linkedLibrary("gobject-2.0"), .linkedLibrary("glib-2.0")]
        ),
        .target(
            name: "Imaging",
            dependencies: [
                "CVips",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: librarySettings
        ),
        // MARK: Protocol clients (no Emporium dependencies: publishable on their own)
        .target(
            name: "Kafka",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: librarySettings
        ),
        .target(
            name: "Redis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: librarySettings
        ),

        // MARK: Cross-cutting adapters built on the clients
        .target(
            name: "Caching",
            dependencies: [
                "EmporiumCore",
                "Redis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "RateLimiting",
            dependencies: [
                "Redis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: settings
        ),

        .target(
            name: "FanOut",
            dependencies: [
                "Redis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),

        // MARK: Services
        // What a service tells the runtime (`ServiceDescriptor`); every service module exports one.
        .target(
            name: "ServiceKit",
            dependencies: [
                "FanOut",
                "Mail",
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                "Contracts",
                "Database",
                "GraphQLSupport",
                "Messaging",
                "Caching",
                "RateLimiting",
                "Identity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "Catalog",
            dependencies: [
                "EmporiumCore",
                "Jobs",
                "Database",
                "Identity",
                "GraphQLSupport",
                "RateLimiting",
                "Caching",
                "Contracts",
                "Messaging",
                "ServiceKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                "GraphQLExecution",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                "Blobs",
                "Spreadsheets",
                "Imaging",
            ],
            resources: [.copy("Migrations")],
            swiftSettings: settings
        ),
        .target(
            name: "Inventory",
            dependencies: [
                "EmporiumCore",
                "Database",
                "Identity",
                "GraphQLSupport",
                "Contracts",
                "Messaging",
                "ServiceKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "GraphQLExecution",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: settings
        ),

        .target(
            name: "Mail",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "Notifications",
            dependencies: [
                "EmporiumCore",
                "Database",
                "Identity",
                "GraphQLSupport",
                "ServiceKit",
                "GraphQLExecution",
                "FanOut",
                "Mail",
                "Contracts",
                "Messaging",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: settings
        ),
        // Durable jobs in each service's own database: enqueued in the business transaction,
        // fetched with SKIP LOCKED, leases, retries, cron (docs/jobs.md).
        .target(
            name: "Jobs",
            dependencies: [
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "EmporiumCore",
                "Database",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: librarySettings
        ),
        .target(
            name: "Orders",
            dependencies: [
                "EmporiumCore",
                "Database",
                "Identity",
                "GraphQLSupport",
                "ServiceKit",
                "GraphQLExecution",
                "Contracts",
                "Messaging",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: settings
        ),
        // The one WebSocket gateway: graphql-transport-ws on NIO handlers, subscriptions resolved
        // through the federation gateway, fan-out in process or through Redis.
        .target(
            name: "Realtime",
            dependencies: [
                "EmporiumCore",
                "FanOut",
                "GraphQLSupport",
                "Identity",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "Users",
            dependencies: [
                "EmporiumCore",
                "Database",
                "Identity",
                "GraphQLSupport",
                "ServiceKit",
                "GraphQLExecution",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                "RateLimiting",
                "Mail",
                "Contracts",
                "Messaging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Migrations"), .copy("Resources/common-passwords.txt")],
            swiftSettings: settings
        ),

        // MARK: Federation gateway
        .target(
            name: "Gateway",
            dependencies: [
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                "EmporiumCore",
                "GraphQLSupport",
                "Identity",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: settings
        ),

        // MARK: Assembly
        .target(
            name: "Runtime",
            dependencies: [
                "Jobs",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "EmporiumCore",
                "Database",
                "Identity",
                "GraphQLSupport",
                "Catalog",
                "Inventory",
                "Users",
                "Notifications",
                "Orders",
                "FanOut",
                "Realtime",
                "Gateway",
                "Contracts",
                "Messaging",
                "Kafka",
                "Redis",
                "RateLimiting",
                "Caching",
                "Mail",
                "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "emporium",
            dependencies: [
                "Jobs",
                "Messaging",
                "Runtime",
                "Gateway",
                "ServiceKit",
                "Database",
                "EmporiumCore",
                "Identity",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "EmporiumTesting",
            dependencies: [
                "EmporiumCore",
                "Database",
                "Identity",
                "Redis",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),

        .target(
            name: "CatalogTesting",
            dependencies: [
                "Catalog", "EmporiumTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),

        // MARK: Benchmarks (run by hand, see docs/BENCHMARKS.md; not part of the test suite)
        .executableTarget(
            name: "kafka-bench",
            dependencies: [.product(name: "NIOCore", package: "swift-nio"), "Kafka", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/kafka-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "events-bench",
            dependencies: [
                "Catalog", "Inventory", "Contracts", "Messaging", "Kafka", "Database", "EmporiumCore", "Identity",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/events-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "gateway-bench",
            dependencies: [
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "Gateway", "Runtime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/gateway-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "graphql-bench",
            dependencies: [
                "Catalog", "Inventory", "Users", "Gateway", "GraphQLSupport", "GraphQLExecution", "EmporiumCore", "Identity",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/graphql-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "notifications-bench",
            dependencies: [
                "Notifications", "Contracts", "Database", "EmporiumCore", "FanOut", "Mail", "Messaging",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/notifications-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "realtime-load",
            dependencies: [
                "EmporiumCore", "Identity",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Benchmarks/realtime-load",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "users-bench",
            dependencies: [
                "EmporiumCore", "Identity",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/users-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "jobs-bench",
            dependencies: [
                "Jobs", "Database", "EmporiumCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/jobs-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "export-bench",
            dependencies: [
                "Catalog", "Jobs", "Database", "EmporiumCore", "Identity",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/export-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "thumbnail-bench",
            dependencies: [
                "Catalog", "Database", "EmporiumCore", "EmporiumTesting", "Identity", "Imaging", "Jobs",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/thumbnail-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "orders-bench",
            dependencies: [
                "EmporiumCore", "Identity",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Benchmarks/orders-bench",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "redis-bench",
            dependencies: ["Redis", "RateLimiting", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/redis-bench",
            swiftSettings: settings + [.define("REDIS_BENCH_RATELIMIT")]
        ),
        .executableTarget(
            name: "cache-bench",
            dependencies: [
                "Caching", "GraphQLSupport",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/cache-bench",
            swiftSettings: settings
        ),

        // MARK: Tests
        .testTarget(name: "EmporiumCoreTests", dependencies: ["EmporiumCore"], swiftSettings: settings),
        .testTarget(
            name: "GraphQLExecutionTests",
            dependencies: [
                "GraphQLExecution",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "DatabaseTests",
            dependencies: [
                "Database",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "DatabaseIntegrationTests",
            dependencies: [
                "Database", "EmporiumTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "UsersTests",
            dependencies: [
                "Users",
                "EmporiumCore",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "UsersIntegrationTests",
            dependencies: [
                "Users", "Mail", "EmporiumCore", "EmporiumTesting", "Identity", "GraphQLSupport", "GraphQLExecution", "RateLimiting",
                "Contracts", "Database",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "NotificationsIntegrationTests",
            dependencies: [
                "Notifications", "FanOut", "Mail", "EmporiumCore", "EmporiumTesting", "Identity", "GraphQLSupport", "GraphQLExecution",
                "Contracts", "Database", "Messaging",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "JobsTests",
            dependencies: [
                "Jobs",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "JobsIntegrationTests",
            dependencies: [
                "Jobs", "EmporiumCore", "EmporiumTesting", "Database",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "OrdersTests",
            dependencies: [
                "Orders",
                "EmporiumCore",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "OrdersIntegrationTests",
            dependencies: [
                "Orders", "Inventory", "EmporiumCore", "EmporiumTesting", "Identity", "GraphQLSupport", "GraphQLExecution",
                "Contracts", "Database", "Messaging",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RealtimeTests",
            dependencies: [
                "Realtime", "FanOut", "GraphQLSupport", "GraphQLExecution", "Identity", "EmporiumCore",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "MailTests", dependencies: ["Mail", .product(name: "Logging", package: "swift-log")], swiftSettings: settings),
        .testTarget(name: "MailIntegrationTests", dependencies: ["Mail", "EmporiumTesting", .product(name: "Logging", package: "swift-log")], swiftSettings: settings),
        .testTarget(
            name: "BlobsIntegrationTests",
            dependencies: ["Blobs", "Database", "EmporiumTesting", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: settings),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "EmporiumTesting"], swiftSettings: settings),
        .testTarget(name: "SpreadsheetsTests", dependencies: ["Spreadsheets", "EmporiumTesting", .product(name: "NIOCore", package: "swift-nio")], swiftSettings: settings),
        .testTarget(name: "ContractsTests", dependencies: ["Contracts"], swiftSettings: settings),
        .testTarget(
            name: "MessagingIntegrationTests",
            dependencies: [
                "Messaging", "Contracts", "Kafka", "EmporiumTesting", "Database",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "InventoryTests",
            dependencies: [
                "EmporiumCore",
                "Inventory",
                "Contracts",
                "GraphQLSupport",
                "GraphQLExecution",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "InventoryIntegrationTests",
            dependencies: [
                "Database",
                "EmporiumCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "Inventory", "Contracts", "Messaging", "EmporiumTesting", "Identity", "GraphQLSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "GraphQLExecution",
                .product(name: "GraphQL", package: "GraphQL"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                "Gateway", "GraphQLSupport", "Identity", "Catalog", "Inventory", "Users",
                .product(name: "GraphQL", package: "GraphQL"),
                "GraphQLExecution",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "IdentityTests",
            dependencies: ["Identity", "EmporiumCore", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "GraphQLSupportTests",
            dependencies: [
                "GraphQLSupport", "Caching", "EmporiumCore", "Identity",
                "GraphQLExecution",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "CatalogTests",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                "Contracts",
                "EmporiumCore",
                "GraphQLSupport",
                "Identity",
                .product(name: "Logging", package: "swift-log"),
                "Catalog",
                "GraphQLExecution",
                "Imaging",
                .product(name: "GraphQL", package: "GraphQL"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "CatalogIntegrationTests",
            dependencies: [
                "Jobs",
                .product(name: "NIOCore", package: "swift-nio"),
                "Contracts",
                "Messaging",
                "Database",
                "EmporiumCore",
                "GraphQLSupport",
                "Identity",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "Catalog", "CatalogTesting", "EmporiumTesting", "Caching", "Redis",
                "GraphQLExecution", "Imaging",
                .product(name: "GraphQL", package: "GraphQL"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Caching",
                .product(name: "GraphQL", package: "GraphQL"),
                "Identity",
                .product(name: "Logging", package: "swift-log"),
                "Runtime",
                "ServiceKit",
                "GraphQLSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RuntimeIntegrationTests",
            dependencies: [
                "Caching",
                "EmporiumCore",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Hummingbird", package: "hummingbird"),
                "Identity",
                .product(name: "Logging", package: "swift-log"),
                "Messaging",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "Mail", "Runtime", "ServiceKit", "EmporiumTesting", "CatalogTesting", "GraphQLSupport", "Catalog", "RateLimiting", "Redis", "Contracts", "Database",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "EmporiumTestingTests",
            dependencies: [
                "EmporiumTesting",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "EmporiumTestingIntegrationTests",
            dependencies: [.product(name: "Logging", package: "swift-log"), "EmporiumTesting", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "Kafka",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "KafkaIntegrationTests",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                "Kafka", "EmporiumTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "CachingTests",
            dependencies: [
                "Caching",
                "EmporiumTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "CachingIntegrationTests",
            dependencies: [
                "Caching", "Redis", "EmporiumTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RateLimitingTests",
            dependencies: [
                "RateLimiting",
                "EmporiumTesting",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RateLimitingIntegrationTests",
            dependencies: ["RateLimiting", "Redis", "EmporiumTesting", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RedisTests",
            dependencies: [
                "Redis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RedisIntegrationTests",
            dependencies: [
                "Redis", "EmporiumTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
    ]
)
