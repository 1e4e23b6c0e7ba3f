/// Help output as printed: swift-argument-parser wraps the discussion at the terminal's width, which
/// breaks example commands in the middle and makes them useless to copy. Every example line starts
/// with two spaces, so a line without them inside an `Examples:` section is a wrapped remainder and is
/// joined back to its command.
enum HelpText {
    static func unwrappingExamples(_ message: String) -> String {
        var lines: [String] = []
        var inExamples = false
        for line in message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasSuffix("Examples:") || line.hasSuffix("Example:") {
                inExamples = true
            } else if line.isEmpty {
                inExamples = false
            } else if inExamples, !line.hasPrefix("  "), let previous = lines.popLast() {
                lines.append(previous + " " + line)
                continue
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
