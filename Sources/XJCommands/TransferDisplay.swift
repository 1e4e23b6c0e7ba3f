import Journal

/// Shows transfer progress for push, fetch, pull and clone on a terminal.
enum TransferDisplay {
    static func bar() -> ProgressBar { ProgressBar(total: 100) }

    static func callback(_ bar: ProgressBar) -> (TransferProgress) -> Void {
        // libgit2 reports every object: the line is rebuilt only when the percentage moves (or at the end).
        var shown = -1
        var finished = false
        return { progress in
            guard progress.totalObjects > 0 else { return }
            let percent = progress.objects * 100 / progress.totalObjects
            let complete = progress.objects == progress.totalObjects
            guard percent != shown || (complete && !finished) else { return }
            shown = percent
            finished = complete
            bar.update(percent,
                       status: "\(progress.objects)/\(progress.totalObjects) objects, \(progress.bytes / 1024) KiB")
        }
    }
}
