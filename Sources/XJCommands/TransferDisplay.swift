import Journal

/// Shows transfer progress for push, fetch, pull and clone on a terminal.
enum TransferDisplay {
    static func bar() -> ProgressBar { ProgressBar(total: 100) }

    static func callback(_ bar: ProgressBar) -> (TransferProgress) -> Void {
        { progress in
            guard progress.totalObjects > 0 else { return }
            bar.update(progress.objects * 100 / progress.totalObjects,
                       status: "\(progress.objects)/\(progress.totalObjects) objects, \(progress.bytes / 1024) KiB")
        }
    }
}
