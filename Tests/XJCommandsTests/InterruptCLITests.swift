import Foundation
import Testing
import XJTestSupport

/// Ctrl-C during a sweep says what was kept and how to go on; running the command again resumes (issue 13 §5).
@Suite struct InterruptCLITests {
    /// Interrupted at four moments, each in the middle of training: every time the process ends with
    /// status 130 and only the one line (an `exit` from the signal's thread once ran the libraries'
    /// destructors under the training thread, and about one interrupt in two crashed in OpenBLAS).
    @Test func ctrlCDuringASweepSaysWhatWasKept() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let arguments = ["grid", "--data", "digits", "--model", "mlp", "hidden=64", "seed=1..12", "epochs=20"]
            for delay: useconds_t in [1_500_000, 700_000, 1_100_000, 900_000] {
                let sweep = Process()
                sweep.executableURL = URL(fileURLWithPath: BuiltBinary.xjPath)
                sweep.arguments = arguments
                sweep.currentDirectoryURL = URL(fileURLWithPath: folder)
                let errors = Pipe()
                sweep.standardOutput = FileHandle.nullDevice
                sweep.standardError = errors
                try sweep.run()
                usleep(delay)
                kill(sweep.processIdentifier, SIGINT)
                sweep.waitUntilExit()
                let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(sweep.terminationReason == .exit && sweep.terminationStatus == 130, "after \(delay) µs")
                #expect(stderr == "xj: interrupted: every finished point is staged; run the same command again to train the rest, or xj commit to record them\n")
                #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
            }
            let resumed = try BuiltBinary.xj(arguments, in: folder)
            #expect(resumed.status == 0 && resumed.stdout.contains("] 12 experiments committed"), "\(resumed.stdout)")
        }
    }
}
