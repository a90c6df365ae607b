import Database
import PostgresNIO
import Testing

@Suite("DatabaseURL")
struct DatabaseURLTests {
    @Test func parsesAllParts() throws {
        let url = try DatabaseURL("postgres://alice:s%40cret@db.example.com:6543/shop?sslmode=require")
        #expect(url.username == "alice")
        #expect(url.password == "s@cret")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6543)
        #expect(url.database == "shop")
        #expect(url.sslMode == .require)
        let configuration = url.configuration
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "alice")
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == "shop")
    }

    @Test func appliesDefaults() throws {
        let url = try DatabaseURL("postgresql://bob@localhost")
        #expect(url.port == 5432)
        #expect(url.database == "bob")
        #expect(url.password == nil)
        #expect(url.sslMode == .prefer)
    }

    @Test func disableTurnsTLSOff() throws {
        let url = try DatabaseURL("postgres://u@127.0.0.1:5433/d?sslmode=disable")
        #expect(url.sslMode == .disable)
    }

    @Test func acceptsIPv6AndUnixSockets() throws {
        let v6 = try DatabaseURL("postgres://u@[::1]:5433/d")
        #expect(v6.host == "::1")
        #expect(v6.configuration.host == "::1")
        let socket = try DatabaseURL("postgres://u@/d?host=/var/run/postgresql")
        #expect(socket.host == nil)
        #expect(socket.configuration.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
    }

    @Test func appliesApplicationNameAndConnectTimeout() throws {
        let url = try DatabaseURL("postgres://u@h/d?application_name=catalog&connect_timeout=3")
        let options = url.configuration.options
        #expect(options.connectTimeout == .seconds(3))
        #expect(options.additionalStartupParameters.map { "\($0.0)=\($0.1)" } == ["application_name=catalog"])
    }

    @Test func descriptionHidesThePassword() throws {
        let url = try DatabaseURL("postgres://alice:topsecret@db:5432/shop?sslmode=disable")
        #expect(!url.description.contains("topsecret"))
        #expect(url.description.contains("alice:***@db:5432/shop"))
    }

    @Test func endpointURLRoundTrips() throws {
        let endpoint = PostgresEndpoint(host: "127.0.0.1", port: 55432, username: "pg user", password: "p@ss:w/rd", database: "база")
        let url = try DatabaseURL(endpoint.url)
        #expect(url.username == "pg user")
        #expect(url.password == "p@ss:w/rd")
        #expect(url.port == 55432)
        #expect(url.database == "база")
        #expect(url.sslMode == .disable)
        #expect(endpoint.clientConfiguration(database: "other").database == "other")
    }

    @Test(arguments: [
        ("mysql://u@h/d", "scheme"),
        ("localhost:5432/d", "postgres://"),
        ("postgres://h:5432/d", "user name"),
        ("postgres://u@h:99999/d", "port"),
        ("postgres://u@h/d/e", "single database name"),
        ("postgres://u@h/d?sslmode=verify-ca", "sslmode=verify-ca"),
        ("postgres://u@h/d?pool=5", "unsupported parameter"),
        ("postgres://u:pw@:5432/d", "host"),
        ("postgres://u@h/d?connect_timeout=soon", "connect_timeout"),
        // Would overflow when turned into nanoseconds.
        ("postgres://u@h/d?connect_timeout=99999999999999", "connect_timeout"),
    ])
    func rejectsWithAClearMessage(input: String, expected: String) throws {
        let error = try #require(throws: DatabaseError.self) { try DatabaseURL(input) }
        #expect(error.code == .invalidURL)
        #expect(error.description.contains(expected), "\(error.description)")
        #expect(!error.description.contains("pw"))
    }
}
