import Foundation
import Journal
import Training

/// Runs a sweep: validates every point first, skips run keys already recorded, trains the rest
/// (several at once with `jobs`), stages each experiment as soon as it finishes (so a killed sweep
/// resumes where it stopped), and commits the sweep once at the end.
public struct GridRunner {
    public let journal: LabJournal

    public init(journal: LabJournal) { self.journal = journal }

    /// The sweep's points with their run keys and what the journal already holds for them.
    /// Points with the same run key are kept once. - Throws: `LabError` for the first bad point, before any training.
    public func plan(dataset: String, validation: String?, model: String, points: [[String: JSONValue]]) throws -> [GridPoint] {
        let runner = TrainingRunner(journal: journal)
        let index = RunIndex(journal: journal)
        var seen: Set<TreeID> = []
        var planned: [GridPoint] = []
        let datasetRecord = try runner.findDataset(dataset)
        let validationRecord = try validation.map(runner.findDataset)
        for point in points {
            let request = TrainRequest(dataset: dataset, validation: validation, model: model, parameters: point)
            let runKey = try runner.prepare(request, dataset: datasetRecord, validation: validationRecord).3
            guard seen.insert(runKey).inserted else { continue }
            planned.append(GridPoint(parameters: point, runKey: runKey, known: []))
        }
        for (position, known) in try index.recordedExperiments(runKeys: planned.map(\.runKey.object)).enumerated() {
            planned[position].known = known
        }
        return planned
    }

    /// Trains the points not yet recorded. `progress` is called (from any thread, one call at a time)
    /// after each point with the number done and the point.
    public func run(_ points: [GridPoint], dataset: String, validation: String?, model: String, jobs: Int,
                    progress: ((Int, GridPoint) -> Void)? = nil) throws -> [GridPoint] {
        var results = points
        let pending = points.indices.filter { !points[$0].isKnown }
        let workers = max(1, min(jobs, pending.count))
        let lock = NSLock()
        var next = 0
        var done = 0
        var failure: Error?
        let path = journal.path
        let line = try journal.currentBranch()
        // Points trained side by side get one BLAS thread each; the hold is shared with the LSTM's own
        // (`BLAS.singleThreaded`), so whatever OpenBLAS had before is what it has after.
        BLAS.singleThreaded(if: workers > 1) {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                // Each worker has its own repository handle (libgit2 objects are not shared across threads),
                // pinned to the sweep's line of inquiry.
                guard let local = try? LabJournal.locate(explicit: path, from: "/"), (try? local.pinLineOfInquiry(line)) != nil else { return }
                let runner = TrainingRunner(journal: local)
                while true {
                    lock.lock()
                    guard failure == nil, next < pending.count else { lock.unlock(); return }
                    let position = pending[next]
                    next += 1
                    lock.unlock()
                    let point = points[position]
                    do {
                        let request = TrainRequest(dataset: dataset, validation: validation, model: model,
                                                   parameters: point.parameters)
                        var finished = point
                        switch try runner.train(request) {
                        case let .trained(record, _, _): finished.trained = record
                        case let .alreadyRun(entries): finished.known = entries
                        }
                        lock.lock()
                        results[position] = finished
                        done += 1
                        progress?(done, finished)
                        lock.unlock()
                    } catch {
                        lock.lock()
                        if failure == nil { failure = error }
                        lock.unlock()
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        return results
    }
}
