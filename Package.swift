// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "xj",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xj", targets: ["xj"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // libgit2 as Debian packages it: module map and a one-line shim header.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        // zlib, for writing loose objects with stored (level-0) deflate blocks.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // OpenSSL's libcrypto, for a SHA-1 that runs at hardware speed while streaming a file.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // OpenBLAS's CBLAS interface, loaded on first use (dlopen) rather than at every start.
        .target(name: "CBLAS", exclude: ["README.md"], linkerSettings: [.linkedLibrary("dl")]),
        // libgit2's start-up without parsing the certificate bundle, which https loads on demand (Decisions/0021).
        .target(name: "CGitStart", exclude: ["README.md"], linkerSettings: [.linkedLibrary("git2")]),
        // Git objects, refs, locks: the only module that calls libgit2.
        .target(name: "JournalStore", dependencies: ["CGit2", "CGitStart", "CZlib", "CCrypto"], exclude: ["README.md"]),
        // The records: datasets, parameter sets, stage, journal state, canonical JSON.
        .target(name: "Journal", dependencies: ["JournalStore", .product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        // Vectorised element-wise loops in C (AVX2 chosen at run time, a portable fallback).
        .target(name: "CKernels", exclude: ["README.md"]),
        // Pure CPU compute: matrices, layers, losses, optimizers, seeded RNG, metrics. Never the journal.
        .target(name: "Training", dependencies: ["CBLAS", "CKernels"], exclude: ["README.md"]),
        // Pure statistics: distributions, tests, effect sizes, bootstrap, Holm, power, sequential tests.
        .target(name: "Statistics", exclude: ["README.md"]),
        // Pure suggestion algorithms (TPE) over parameter spaces.
        .target(name: "Tuning", exclude: ["README.md"]),
        // Orchestration: parameters → run key → train → experiment record.
        .target(name: "Lab", dependencies: ["Journal", "Training", "Statistics", "Tuning"], exclude: ["README.md"]),
        // Pictures: SVG plots and the self-contained HTML report, from the journal's records.
        .target(name: "Report", dependencies: ["Journal", "JournalStore"], exclude: ["README.md"]),
        // One file per subcommand: parse arguments, call the journal, format text or JSON.
        .target(name: "XJCommands", dependencies: ["Journal", "Lab", "Report", "Tuning", .product(name: "ArgumentParser", package: "swift-argument-parser")], exclude: ["README.md"]),
        // The executable: a few lines calling XJCommands (after choosing the BLAS kernels, Decisions/0011,
        // and telling malloc to keep freed memory).
        .executableTarget(name: "xj", dependencies: ["XJCommands", "Training", "CKernels"]),
        // Warm-process measurements for scripts/bench (run-index lookups and updates).
        .executableTarget(name: "xj-bench", dependencies: ["Journal"]),
        // Shared test helpers: scratch journals, fixture files, running the built binary.
        .target(name: "XJTestSupport", dependencies: ["Journal", "CZlib"], path: "Tests/XJTestSupport"),
        .testTarget(name: "JournalStoreTests", dependencies: ["JournalStore", "Training", "XJTestSupport"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "Training", "XJTestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "CKernels", "XJTestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Training", "XJTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TuningTests", dependencies: ["Tuning", "Training"]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Report", "XJTestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "XJTestSupport"]),
        .testTarget(name: "XJCommandsTests", dependencies: ["XJCommands", "XJTestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
