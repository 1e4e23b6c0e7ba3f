/// Values a command keeps until the process exits instead of freeing them: freeing 100,000 experiment
/// records one by one took a tenth of `xj report` and `xj verdict` at that size, and the exit that
/// follows gives the memory back at once (as compilers do with their syntax trees).
enum ExitRetention {
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keep(_ value: Any) { kept.append(value) }
}
