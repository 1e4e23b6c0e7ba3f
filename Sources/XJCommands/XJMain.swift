import ArgumentParser
import Foundation
import Journal

/// Runs xj with command-line arguments and turns every error into one `xj: error: …` line.
public enum XJMain {
    /// - Returns: the process exit status.
    public static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try XJ.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let failure as CommandFailure {
            if !failure.message.isEmpty { Output.error("xj: error: " + failure.message) }
            return failure.status
        } catch let error as JournalError {
            Output.error("xj: error: \(error)")
            return 1
        } catch let error as StoreError {
            Output.error("xj: error: \(error)")
            return 1
        } catch {
            let status = XJ.exitCode(for: error)
            let message = XJ.fullMessage(for: error)
            if status == .success {
                Output.line(message)
            } else {
                Output.error(message.hasPrefix("Error: ") ? "xj: error: " + message.dropFirst(7) : message)
            }
            return status.rawValue
        }
    }
}
