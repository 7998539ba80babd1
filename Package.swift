// swift-tools-version:6.0
import PackageDescription

// C libraries are wrapped in system-library targets (module map + one shim header);
// the Swift code that touches their pointers lives in one *Kit module per library.
let package = Package(
    name: "disclose",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "disclose", targets: ["disclose"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CGMime", pkgConfig: "gmime-3.0",
                       providers: [.apt(["libgmime-3.0-dev"])]),

        .systemLibrary(name: "CPff", pkgConfig: "libpff", providers: [.apt(["libpff-dev"])]),
        .systemLibrary(name: "CGsf", pkgConfig: "libgsf-1", providers: [.apt(["libgsf-1-dev"])]),
        .systemLibrary(name: "CICal", pkgConfig: "libical", providers: [.apt(["libical-dev"])]),
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),

        .target(name: "DiscloseCore", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "SQLiteStore", dependencies: [
            "DiscloseCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "ArchiveKit", dependencies: ["CArchive", "CZlib"]),
        .target(name: "XMLKit", dependencies: ["CXML2"]),
        .target(name: "MIMEKit", dependencies: ["CGMime", "DiscloseCore"]),
        .target(name: "PffKit", dependencies: ["CPff", "DiscloseCore"]),
        .target(name: "OLEKit", dependencies: ["CGsf", "DiscloseCore"]),
        // TNEF is parsed in Swift: libytnef lost attachments on 4 of MimeKit's 19 test streams.
        .target(name: "TNEFKit", dependencies: ["DiscloseCore"]),
        .target(name: "ICalKit", dependencies: ["CICal", "DiscloseCore"]),
        .target(name: "PopplerKit", dependencies: ["CPoppler"]),
        .target(name: "Extract", dependencies: ["DiscloseCore", "ArchiveKit", "MIMEKit", "XMLKit", "PffKit", "OLEKit", "TNEFKit", "ICalKit", "PopplerKit"]),
        .target(name: "Normalize", dependencies: ["DiscloseCore", "MIMEKit", "XMLKit", "ArchiveKit", "ICalKit", "PopplerKit"]),
        .target(name: "Dedupe", dependencies: ["DiscloseCore"]),
        .target(name: "Redact", dependencies: ["DiscloseCore"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "Production", dependencies: ["DiscloseCore", "XMLKit", "ArchiveKit", "MIMEKit", "Redact"]),
        .target(name: "Pipeline", dependencies: [
            "DiscloseCore", "SQLiteStore", "Extract", "Normalize", "Dedupe", "Redact", "Production",
        ]),
        .executableTarget(name: "disclose", dependencies: [
            "Pipeline", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "disclose-bench", dependencies: ["Dedupe", "DiscloseCore", "Redact"], path: "Sources/Bench"),

        .testTarget(name: "DiscloseCoreTests", dependencies: ["DiscloseCore"]),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore"]),
        .testTarget(name: "ArchiveKitTests", dependencies: ["ArchiveKit"]),
        .testTarget(name: "XMLKitTests", dependencies: ["XMLKit"]),
        .testTarget(name: "ExtractTests", dependencies: ["Extract", "ArchiveKit", "SQLiteStore"]),
        .testTarget(name: "NormalizeTests", dependencies: ["Normalize", "MIMEKit"]),
        .testTarget(name: "DedupeTests", dependencies: ["Dedupe"]),
        .testTarget(name: "RedactTests", dependencies: ["Redact"]),
        .testTarget(name: "ProductionTests", dependencies: ["Production", "XMLKit"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "XMLKit", "Extract", "SQLiteStore", "Production", "Redact", "DiscloseCore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "MIMEKitTests", dependencies: ["MIMEKit"]),
        .testTarget(name: "PffKitTests", dependencies: ["PffKit"]),
        .testTarget(name: "OLEKitTests", dependencies: ["OLEKit"]),
        .testTarget(name: "TNEFKitTests", dependencies: ["TNEFKit"]),
        .testTarget(name: "ICalKitTests", dependencies: ["ICalKit"]),
        .testTarget(name: "PopplerKitTests", dependencies: ["PopplerKit"]),

        // Fuzzing: the shared entry points are an ordinary library so the regression test replays
        // stored crash inputs through them; the libFuzzer executable is below.
        .target(name: "FuzzSupport", dependencies: ["DiscloseCore", "Extract", "MIMEKit", "Normalize", "TNEFKit"],
                path: "Sources/Fuzz/FuzzSupport"),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FuzzSupport"], exclude: ["Inputs"]),
    ],
    // Swift 5 mode: the C libraries' handles are shared across GMime/libxml2 callbacks in
    // ways strict Sendable checking cannot express; concurrency is confined by design instead.
    swiftLanguageModes: [.v5]
)

// The libFuzzer harness has no `main` of its own and links only with -sanitize=fuzzer, so it
// exists only for `make fuzz` (DISCLOSE_FUZZ=1); plain builds and `swift test` never see it.
if Context.environment["DISCLOSE_FUZZ"] == "1" {
    package.products.append(.executable(name: "disclose-fuzz", targets: ["disclose-fuzz"]))
    // gold stops with an internal error on the sanitizer-instrumented objects; lld links them.
    package.targets.append(.executableTarget(name: "disclose-fuzz", dependencies: ["FuzzSupport"],
                                             path: "Sources/Fuzz/Harness",
                                             linkerSettings: [.unsafeFlags(["-use-ld=lld"])]))
}
