// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "folio",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "folio", targets: ["folio"]),
        .library(name: "WOPI", targets: ["WOPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // System calls Swift's Glibc module leaves out (statfs).
        .target(name: "CFolioSystem"),
        // The protocol alone: no Folio types, no HTTP server, no storage.
        .target(
            name: "WOPI",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The domain: users, folders, files, versions, grants, locks; the narrow store protocols,
        // the rules both stores share, blobs, tokens and the services. No SQL driver, no HTTP.
        .target(
            name: "FolioCore",
            dependencies: [
                "WOPI",
                "CFolioSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.copy("Resources/Templates")],
            swiftSettings: strict
        ),
        // The default store: one SQLite file (GRDB), its change counter, backups.
        .target(
            name: "FolioSQLite",
            dependencies: [
                "FolioCore", "WOPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The scale-out store: one PostgreSQL database shared by several instances (PostgresNIO).
        .target(
            name: "FolioPostgres",
            dependencies: [
                "FolioCore", "WOPI",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Content in an S3-compatible bucket: Signature V4 and the few calls Folio makes.
        .target(
            name: "FolioS3",
            dependencies: [
                "FolioCore", "WOPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Spaces: outside storage edited in place (a folder, WebDAV, an application's connector).
        .target(
            name: "FolioSpaces",
            dependencies: [
                "FolioCore", "WOPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Previews and conversions: LibreOffice and poppler in a bubblewrap sandbox.
        .target(
            name: "FolioPreview",
            dependencies: [
                "FolioCore", "WOPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The one place that knows every store: --database URLs, opening an installation,
        // SQLite → PostgreSQL.
        .target(
            name: "FolioStores",
            dependencies: [
                "FolioCore", "FolioSQLite", "FolioPostgres", "FolioS3", "FolioSpaces",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // HTTP: routers, middleware. Gets an opened Folio; knows no store.
        .target(
            name: "FolioServer",
            dependencies: [
                "FolioCore", "FolioPreview", "WOPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/static"), .copy("Resources/templates")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "folio",
            dependencies: [
                "FolioServer", "FolioStores", "FolioSQLite", "FolioS3", "FolioCore", "WOPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // Tests only: store makers per kind, clocks, shared helpers and the store conformance
        // suites every store passes.
        .target(
            name: "FolioTestSupport",
            dependencies: [
                "FolioStores", "FolioSQLite", "FolioPostgres", "FolioS3", "FolioSpaces", "FolioCore", "WOPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/FolioTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "WOPITests",
            dependencies: ["WOPI", .product(name: "CryptoExtras", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FolioS3Tests",
            dependencies: ["FolioS3", "FolioStores", "FolioCore", "FolioTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FolioPreviewTests",
            dependencies: ["FolioPreview", "FolioCore", "FolioTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FolioCoreTests",
            dependencies: ["FolioCore", "FolioTestSupport", "WOPI"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FolioStoreTests",
            dependencies: [
                "FolioStores", "FolioSQLite", "FolioPostgres", "FolioSpaces", "FolioTestSupport", "FolioCore", "WOPI",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FolioServerTests",
            dependencies: [
                "FolioServer", "FolioStores", "FolioTestSupport", "FolioCore", "WOPI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
    ]
)
