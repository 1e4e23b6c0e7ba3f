// Measurements for scripts/bench that need a warm process: `xj-bench lookup JOURNAL RUNKEY N`
// times N in-process run-index lookups; `xj-bench refresh JOURNAL` times bringing the index up to
// date after the last commit. Prints seconds per operation.
import Foundation
import Journal

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("xj-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: xj-bench lookup JOURNAL RUNKEY N | refresh JOURNAL") }
do {
    let journal = try LabJournal.locate(explicit: arguments[2], from: FileManager.default.currentDirectoryPath)
    switch arguments[1] {
    case "lookup":
        guard arguments.count == 5, let key = ObjectID(hex: arguments[3]), let count = Int(arguments[4]) else { fail("lookup JOURNAL RUNKEY N") }
        let index = RunIndex(journal: journal)
        guard !(try index.experiments(runKey: key)).isEmpty else { fail("run key \(arguments[3]) is not in the index") }
        var times: [Double] = []
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try index.experiments(runKey: key)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        print(times.sorted()[times.count / 2])
    case "refresh":
        let start = DispatchTime.now().uptimeNanoseconds
        try RunIndex(journal: journal).refreshed()
        print(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    default:
        fail("unknown measurement \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
