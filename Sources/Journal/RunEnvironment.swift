import Foundation

/// Where a run ran, as `run.json` records it (`environment`): CPU model, the instruction-set
/// extensions numerical kernels dispatch on, OS and architecture. `xj reproduce` names what differs
/// when a reproduction does not match.
public enum RunEnvironment {
    /// The ISA flags that change which kernels run (x86-64 and arm64 names as /proc/cpuinfo spells them).
    public static let kernelFlags = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_bf16", "amx_tile", "asimd", "sve"]

    public static var current: JSONValue {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let lines = cpuinfo.split(separator: "\n")
        func field(_ name: String) -> String? {
            guard let line = lines.first(where: { $0.hasPrefix(name) }), let colon = line.firstIndex(of: ":") else { return nil }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let flags = Set((field("flags") ?? field("Features") ?? "").split(separator: " ").map(String.init))
        var system = utsname()
        uname(&system)
        func text<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return ["cpu": .string(field("model name") ?? field("Model") ?? "unknown"),
                "isa": .array(kernelFlags.filter(flags.contains).map(JSONValue.string)),
                "os": .string("\(text(system.sysname)) \(text(system.release))"),
                "arch": .string(text(system.machine)),
                "cpus": .number(Double(ProcessInfo.processInfo.activeProcessorCount))]
    }
}
