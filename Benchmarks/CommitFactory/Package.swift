// swift-tools-version: 6.0
import PackageDescription

/// Makes many signed commits quickly for Benchmarks/verify.sh, signing with Capstan's own
/// signer (the same code `capstan update --sign-key` uses). Not part of the product.
let package = Package(
    name: "commit-factory",
    dependencies: [.package(name: "capstan", path: "../..")],
    targets: [
        .executableTarget(name: "commit-factory", dependencies: [.product(name: "Capstan", package: "capstan")]),
    ],
    swiftLanguageModes: [.v6]
)
