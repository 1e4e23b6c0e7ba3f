import Foundation
import Journal
import Testing
import XJTestSupport

/// Generated bad input, run through the built `xj` in a scratch journal (issue 12, "Tests and proof").
///
/// Every case is bad by construction (a mutation that could leave the input valid is not generated),
/// and each must end with a non-zero exit and no signal, one line on stderr (argument-parser usage
/// errors excepted), within 10 s and 1 GiB of peak memory, and the journal byte-identical. The
/// generator is seeded: a failure names its case, and the same seed makes the same cases. 601 cases.
@Suite(.tags(.slow)) struct FuzzCLITests {
    /// One generated case: what it is, the arguments after `xj`, and the files it needs.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        var files: [String: [UInt8]] = [:]
        var testDescription: String { name }
    }

    /// SplitMix64: the cases depend on the seed only.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        /// A short string of characters from `alphabet`.
        mutating func text(_ alphabet: String, length: Int) -> String {
            let characters = Array(alphabet)
            return String((0..<length).map { _ in characters[below(characters.count)] })
        }
    }

    static let seed: UInt64 = 20_261_128

    // MARK: - Generators, one per kind of input

    static func csvCases(_ g: inout Generator, count: Int) -> [Case] {
        let header = "a,b,y"
        let row = "1,2,0"
        var cases: [Case] = []
        for index in 0..<count {
            let body: String
            var label: [String] = []
            switch index % 12 {
            case 0: body = header + "\n" + row + "\n" + String(repeating: "1,", count: 3 + g.below(5)) + "1\n"          // too many fields
            case 1: body = header + "\n" + row + "\n1,2\n"                                                                // too few fields
            case 2: body = header + "\n" + row + "\n" + "1,\(g.pick(["1e39", "-1e39", "3.5e38", "1e308", "-1e300"])),0\n" // beyond float32
            case 3: body = header + "\n" + row + "\n\"1,2,0\n"                                                             // unterminated quote
            case 4: body = "a,a,y\n" + row + "\n"                                                                         // duplicate column
            case 5: body = "a,,y\n" + row + "\n"                                                                          // empty header field
            case 6: body = header + "\n"                                                                                   // no data rows
            case 7: body = header + "\n" + row + "\n1," + g.text("xyz!?", length: 1 + g.below(6)) + ",0\n"                 // text in a numeric column
            case 8: body = header + "\n" + row + "\n\"1\"x,2,0\n"                                                          // text after a quote
            case 9:
                body = header + "\n" + row + "\n"
                label = ["--label", "no_such_" + g.text("abc", length: 3)]                                              // unknown label
            case 10: body = ""                                                                                             // empty
            default:
                let width = 1_000 + g.below(20_000)                                                                        // wide and ragged
                body = (0..<width).map { "c\($0)" }.joined(separator: ",") + "\n" + (0..<(width - 1)).map { _ in "1" }.joined(separator: ",") + "\n"
            }
            var bytes = Array(body.utf8)
            if index % 24 == 23 { bytes.insert(0, at: min(4, bytes.count)) }                                                // a NUL byte
            if index % 24 == 11 && !bytes.isEmpty { bytes.insert(0xff, at: 2) }                                            // invalid UTF-8 in the header
            cases.append(Case(name: "csv #\(index)", arguments: ["add", "FILE:data.csv"] + label, files: ["data.csv": bytes]))
        }
        return cases
    }

    static func npyCases(_ g: inout Generator, count: Int) -> [Case] {
        func npy(descr: String, shape: String, order: String = "False", payload: [UInt8], version: UInt8 = 1, magic: [UInt8] = [0x93] + Array("NUMPY".utf8)) -> [UInt8] {
            var header = "{'descr': '\(descr)', 'fortran_order': \(order), 'shape': \(shape), }"
            while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            let length = UInt16(header.utf8.count)
            return magic + [version, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(header.utf8) + payload
        }
        func doubles(_ values: [Double]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
        func floats(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
        var cases: [Case] = []
        for index in 0..<count {
            let bytes: [UInt8]
            switch index % 10 {
            case 0: bytes = npy(descr: "<f8", shape: "(\(1 << 62), \(1 << 62))", payload: doubles([1, 2]))                   // absurd shape
            case 1: bytes = npy(descr: "<f8", shape: "(2, 2)", payload: doubles([1, 2, g.pick([.infinity, -.infinity, 1e39, -1e300]), 0]))
            case 2: bytes = npy(descr: "<f4", shape: "(2, 2)", payload: floats([1, .infinity, 3, 0]))                      // inf in float32
            case 3: bytes = npy(descr: "<f4", shape: "(3, 2)", payload: floats([1, 2, 3, 0]))                              // truncated
            case 4: bytes = npy(descr: "<f4", shape: "(2, 2, 2)", payload: floats(Array(repeating: 1, count: 8)))          // three dimensions
            case 5: bytes = npy(descr: g.pick(["<c8", ">f4", "<U4", "|O", "<f2"]), shape: "(2, 2)", payload: Array(repeating: 0, count: 16))
            case 6: bytes = npy(descr: "<f4", shape: "(2, 2)", order: "True", payload: floats([1, 2, 3, 0]))               // Fortran order
            case 7: bytes = npy(descr: "<f4", shape: "(2, 2)", payload: floats([1, 2, 3, 0]), version: UInt8(4 + g.below(200)))
            case 8: bytes = npy(descr: "<f4", shape: "(2, 2)", payload: floats([1, 2, 3, 0]), magic: Array("\u{93}NUMPX".utf8))
            default: bytes = Array(npy(descr: "<f4", shape: "(2, 2)", payload: floats([1, 2, 3, 0])).prefix(8 + g.below(40)))
            }
            cases.append(Case(name: "npy #\(index)", arguments: ["add", "FILE:data.npy"], files: ["data.npy": bytes]))
        }
        return cases
    }

    static func jsonCases(_ g: inout Generator, count: Int) -> [Case] {
        let valid = #"{"lr": 0.001, "hidden": [128, 64], "optimizer": "adam", "nested": {"a": [1, 2, {"b": null}]}}"#
        var cases: [Case] = []
        for index in 0..<count {
            let text: String
            switch index % 10 {
            case 0: text = String(valid.prefix(1 + g.below(valid.count - 2)))                                              // cut short
            case 1: text = String(repeating: "[", count: 600 + g.below(100_000)) + String(repeating: "]", count: 10)      // deep
            case 2: text = #"{"a": "# + g.pick(["NaN", "Infinity", "-Infinity", "1e999", "-1e400", "01", ".5", "+1"]) + "}"
            case 3: text = #"{"lr": 1, "lr": 2}"#
            case 4: text = g.pick(["[1, 2]", "3", "\"text\"", "null", "true"])                                             // not an object
            case 5: text = #"{""# + g.pick(["../x", "a/b", "", String(repeating: "k", count: 200 + g.below(5_000)), "-x", "a b"]) + #"": 1}"#
            case 6: text = #"{"a": ""# + g.text("\u{01}\u{02}\t", length: 1) + #""}"#                                    // control character in a string
            default: text = valid.replacingOccurrences(of: ",", with: g.pick([";", ",,", " "]))                            // broken separators
            }
            cases.append(Case(name: "json #\(index)", arguments: ["add", "FILE:params.json"], files: ["params.json": Array(text.utf8)]))
        }
        return cases
    }

    static func yamlCases(_ g: inout Generator, count: Int) -> [Case] {
        var cases: [Case] = []
        for index in 0..<count {
            let text: String
            switch index % 7 {
            case 0:
                var lines = ["a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]"]
                var previous = "a"
                for name in "bcdefghij" { lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]"); previous = String(name) }
                text = lines.joined(separator: "\n") + "\n"                                                                  // billion laughs
            case 1: text = "a: " + String(repeating: "[", count: 600 + g.below(50_000)) + "\n"                             // deep flow
            case 2: text = (0..<(600 + g.below(2_000))).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
            case 3: text = "lr: 1\nlr: 2\n"
            case 4: text = g.pick(["- 1\n- 2\n", "just text\n", "42\n"])                                                  // not a mapping
            case 5: text = "lr: " + g.pick([".nan", ".inf", "-.inf", "1e999"]) + "\n"
            default: text = g.pick(["../x: 1\n", "\"a/b\": 1\n", "? [1, 2]\n: 3\n", "a: [1, 2\n", "a: {b: 1\n", "\t- x\n"])
            }
            cases.append(Case(name: "yaml #\(index)", arguments: ["add", "FILE:params.yaml"], files: ["params.yaml": Array(text.utf8)]))
        }
        return cases
    }

    static func parameterCases(_ g: inout Generator, count: Int) -> [Case] {
        let bad: [String] = [
            "lr=fast", "lr=-1", "lr=0", "lr=1e300", "lr=nan", "lr=inf", "hidden=0", "hidden=1.5", "hidden=", "hidden=100000,100000",
            "hidden=100000000", "epochs=-3", "epochs=0", "epochs=1e20", "dropout=1", "dropout=-0.1", "batch_size=0", "seed=-1",
            "model=linear", "model=linear,mlp", "optimizer=adamw", "activation=gelu", "momentum=0.5", "val_fraction=1", "normalize=zscore",
            "mc_samples=3", "impute=median", "patience=-1", "../x=1", "=3", "a=b=c", "weight_decay=-1", "init=xavier", "split_seed=0.5",
            "tau=0", "tau=1", "test_fraction=1", "test_fraction=-0.1", "input_dropout=1", "prior_lengthscale=0.01", "val_fraction=0",
            "target_normalize=zscore", "target_normalize=standard", "lr=1e-300", "weight_decay=1e-45",
        ]
        // A grid reads `a,b` as two points and `lo..hi` as a range: its own bad values.
        let badGrid: [String] = [
            "seed=1..1000000000", "model=linear,mlp", "lr=1e-4:1e-1", "lr=1:0:log", "lr=0:1:log", "hidden=100000/100000", "seed=5..1",
            "lr=0.1,fast", "dropout=0,1", "epochs=0,1", "hidden=0/4", "lr=", "seed=1..9223372036854775807", "../x=1,2",
        ]
        var cases: [Case] = []
        for index in 0..<count {
            let grid = index % 3 == 0
            var arguments = [grid ? badGrid[(index / 3) % badGrid.count] : bad[index % bad.count]]
            if index >= bad.count {
                // A bad key=value among good ones, in any order.
                arguments += ["epochs=1", "seed=\(g.below(9))", "lr=0.01"].filter { _ in g.below(2) == 0 }
                arguments.shuffle(using: &g)
                if g.below(4) == 0 { arguments.append(g.text("abcxyz_", length: 1 + g.below(12)) + "=1") }   // an unknown key too
            }
            let command = grid ? ["grid", "--data", "digits", "--model", "mlp"] : ["train", "--data", "digits", "--model", "mlp"]
            cases.append(Case(name: "params #\(index) \(arguments.joined(separator: " "))", arguments: command + arguments))
        }
        // The language model's keys (refused by name, whatever the dataset).
        let badLSTM = ["dropout_mode=sideways", "seq_len=0", "layers=0", "clip=-1", "recurrent_dropout=1", "mc_samples=-1", "hidden=100000",
                       "batches_per_epoch=-1", "init_scale=0", "optimizer=nesterov", "dropout_mode=naive recurrent_dropout=0.5", "activation=relu"]
        for (index, text) in badLSTM.enumerated() {
            cases.append(Case(name: "lstm params #\(index) \(text)", arguments: ["train", "--data", "digits", "--model", "lstm"] + text.split(separator: " ").map(String.init)))
        }
        return cases
    }

    static func predictionCases(_ g: inout Generator, count: Int) -> [Case] {
        let valid = "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"
        let templates = ["mean(val_loss | a=b=c) < 1", "avg(val_loss) < 1", "mean(val_loss) = 1", "mean(val_loss) < ", "mean val_loss < 1",
                         "mean(val_loss | =3) < 1", "mean(val_loss | x=1, x=2) < 1", "mean(val_loss | ../x=1) < 1", "mean() < 1",
                         "mean(val_loss) < 1 extra", "", "(((", "mean(val_loss | dropout=nan) < 1",
                         "prob(val_loss | dropout=0.5) > 0.5", "prob(val_loss | dropout=0.5 < dropout=0) > 2", "prob(val_loss < dropout=0) > 0.5",
                         "iqm(val_loss) < prob(val_loss | dropout=0.5 < dropout=0)", "prob(val_loss | dropout=0.5 < ) > 0.5"]
        return (0..<count).map { index in
            let text = index < templates.count ? templates[index] : String(valid.prefix(g.below(valid.count - 1)))
            return Case(name: "prediction #\(index) \(text.debugDescription)", arguments: ["hypothesis", "new", "h\(index)", "a statement", "--predict", text])
        }
    }

    static func revisionCases(_ g: inout Generator, count: Int) -> [Case] {
        let fixed = ["@{-1}", "main@{yesterday}", "HEAD@{1}", "main~99999", "nope^^", "..", "main..nope", "-x", ":/no such message here",
                     String(repeating: "z", count: 5_000), "ref\u{01}name", "HEAD:", "main^{tree}x"]
        return (0..<count).map { index in
            let revision = index < fixed.count ? fixed[index] : g.text("ghijklmnopqrstuvwxyz_-~^@{}:", length: 1 + g.below(20))
            let command = [["show", revision], ["log", revision], ["diff", "main", revision], ["diff", revision, "main"]][index % 4]
            return Case(name: "revision #\(index) \(revision.prefix(40).debugDescription)", arguments: command)
        }
    }

    static func nameCases(_ g: inout Generator, count: Int) -> [Case] {
        let names = ["../x", "a/b", ".hidden", "-x", "..", ".", "", String(repeating: "n", count: 201 + g.below(10_000)), "a\u{01}b", "x\\y", "tab\tname"]
        return (0..<count).map { index in
            let name = names[index % names.count] + (index >= names.count ? g.text("/.", length: 1 + g.below(3)) : "")
            if index % 2 == 0 {
                return Case(name: "dataset name #\(index) \(name.prefix(30).debugDescription)", arguments: ["add", "FILE:ok.csv", "--name", name],
                            files: ["ok.csv": Array("a,y\n1,0\n2,1\n".utf8)])
            }
            return Case(name: "params name #\(index) \(name.prefix(30).debugDescription)", arguments: ["add", "--name", name, "lr=0.1"])
        }
    }

    /// The commands this round added, given lines, records and sizes that do not exist or cannot be.
    static func stageAndLineCases(_ g: inout Generator, count: Int) -> [Case] {
        (0..<count).map { index in
            let garbage = g.pick(["nope", "../x", "-x", "a..b", "x@{1}", "", String(repeating: "q", count: 300), "ma1n", "exp\u{01}"]) +
                (index >= 9 ? g.text("abc-_", length: 1 + g.below(4)) : "")
            let arguments: [String]
            switch index % 10 {
            case 0: arguments = ["restore", "--staged", garbage.isEmpty ? "zz" : garbage]
            case 1: arguments = ["restore", "--staged", "--all", garbage.isEmpty ? "x" : garbage]
            case 2: arguments = ["branch", "-d", garbage.isEmpty ? "zz" : garbage]
            case 3: arguments = ["branch", "-m", garbage.isEmpty ? "zz" : garbage, "renamed"]
            case 4: arguments = ["train", "--on", garbage.isEmpty ? "zz" : garbage, "--data", "digits", "--model", "linear"]
            case 5: arguments = ["status", "--on", garbage.isEmpty ? "zz" : garbage]
            case 6: arguments = ["switch", "--carry", garbage.isEmpty ? "zz" : garbage]
            case 7: arguments = ["reproduce", garbage.isEmpty ? "zz" : garbage]
            case 8: arguments = ["grid", "--data", "digits", "--model", "mlp", "hidden=2", "--until-decided", "--batch", g.pick(["0", "-1", "x", "1e9"])]
            default: arguments = ["push", "--attempts", g.pick(["0", "-1", "1001", "many"])]
            }
            return Case(name: "stage/line #\(index) \(arguments.joined(separator: " ").prefix(40).debugDescription)", arguments: arguments)
        }
    }

    /// Cluster sweeps and text corpora (issues 19 and 20): shares, task counts, sweep names and remotes
    /// that cannot be, and text files that are not UTF-8 text.
    static func sweepAndTextCases(_ g: inout Generator, count: Int) -> [Case] {
        (0..<count).map { index in
            let garbage = g.pick(["0/4", "5/4", "-1/2", "1/0", "x", "3", "1/200000", "", "../x", "a b", String(repeating: "9", count: 40)]) +
                // A trailing letter keeps a generated value from being a valid K/N or count by chance.
                (index >= 11 ? g.text("/0123456789", length: 1 + g.below(4)) + "x" : "")
            let grid = ["--", "grid", "--data", "digits", "--model", "linear", "lr=0.1,0.01"]
            switch index % 8 {
            case 0: return Case(name: "sweep #\(index) shard \(garbage.debugDescription)", arguments: ["grid", "--data", "digits", "--model", "linear", "lr=0.1,0.01", "--shard", garbage])
            case 1: return Case(name: "sweep #\(index) tasks \(garbage.debugDescription)", arguments: ["sweep", "submit", "--slurm", "--tasks", garbage] + grid)
            case 2: return Case(name: "sweep #\(index) name \(garbage.debugDescription)", arguments: ["sweep", "submit", "--slurm", "--tasks", "2", "--name", garbage] + grid)
            case 3: return Case(name: "sweep #\(index) gather \(garbage.debugDescription)", arguments: ["gather", "--sweep", garbage.isEmpty ? "a/b" : garbage])
            case 4: return Case(name: "sweep #\(index) remote \(garbage.debugDescription)", arguments: ["gather", "--remote", garbage.isEmpty ? "nope" : garbage])
            case 5: return Case(name: "sweep #\(index) status \(garbage.debugDescription)", arguments: ["sweep", "status", garbage.isEmpty ? "nope" : garbage])
            case 6:
                // Text with a NUL, a lone continuation byte, a truncated character or a bare 0xFF somewhere in it.
                var bytes = Array(g.text("abc de\n", length: 1 + g.below(200)).utf8)
                let bad: [[UInt8]] = [[0x00], [0x80], [0xE2, 0x82], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80]]
                bytes.insert(contentsOf: bad[index % bad.count], at: g.below(bytes.count + 1))
                return Case(name: "sweep #\(index) text", arguments: ["add", "FILE:corpus.txt", "--text"], files: ["corpus.txt": bytes])
            default: return Case(name: "sweep #\(index) split \(garbage.debugDescription)", arguments: ["add", "FILE:corpus.txt", "--text", "--split", garbage.isEmpty ? "1" : garbage],
                                 files: ["corpus.txt": Array("to be or not to be\n".utf8)])
            }
        }
    }

    /// `xj suggest` and `xj grid --suggest` (issue 17): ranges, metrics and options that cannot be, among good
    /// ones, sometimes with --run; none may train.
    static func suggestCases(_ g: inout Generator, count: Int) -> [Case] {
        let ranges = ["lr=1:0", "lr=0:1:log", "lr=a:b", "lr=1e-4:1e-1:lg", "lr=nan:1", "lr=1:inf", "lr=-1:1", "lr=1e-310:1e-300:log",
                      "lr=1e-4:1e-1:log,2", "dropout=0:1.5", "dropout=-1:0.5", "hidden=0..8:log", "hidden=32..4", "hidden=4..1000000000",
                      "hidden=1.5..8", "hidden=-4..8", "hidden=4..8:log:x", "optimizer=adam,sgdd", "lrr=1e-4:1e-1", "=1:2", "../x=1:2", "epochs=0"]
        let options = [["--metric", "val_acuracy"], ["--maximize"], ["--metric", "loss", "--maximize"], ["-n", "0"], ["-n", "1001"],
                       ["--from-similar", "0"], ["--jobs", "0"], ["--jobs", "2"], ["--data", "nope"], ["--val", "nope"],
                       ["--metric", "val_r2", "--maximize"], ["--metric", "val_bpc"]]
        return (0..<count).map { index in
            // A good range on a key no bad piece uses, then one bad piece (a range or, for xj suggest, an option).
            var arguments = ["weight_decay=0:0.001"]
            let loop = index % 4 == 3
            let bad = loop || index % 2 == 0 ? [ranges[(index / 2) % ranges.count]] : options[(index / 4) % options.count]
            arguments += ["epochs=1", "dropout=0.1"].filter { _ in g.below(3) == 0 }
            arguments.shuffle(using: &g)
            arguments += bad
            if !loop && g.below(3) == 0 { arguments.append("--run") }
            let command = loop ? ["grid", "--data", "digits", "--model", "mlp", "--suggest", "3"] : ["suggest", "--data", "digits", "--model", "mlp"]
            return Case(name: "suggest #\(index) \(arguments.joined(separator: " "))", arguments: command + arguments)
        }
    }

    /// Every case, in a fixed order.
    static let cases: [Case] = {
        var g = Generator(state: seed)
        return csvCases(&g, count: 96) + npyCases(&g, count: 70) + jsonCases(&g, count: 80) + yamlCases(&g, count: 63)
            + parameterCases(&g, count: 90) + predictionCases(&g, count: 50) + revisionCases(&g, count: 60) + nameCases(&g, count: 44)
            + stageAndLineCases(&g, count: 60) + sweepAndTextCases(&g, count: 48) + suggestCases(&g, count: 48)
    }()

    @Test func enoughCasesOfEveryKind() {
        #expect(Self.cases.count >= 500)
        for kind in ["csv", "npy", "json", "yaml", "params", "prediction", "revision", "dataset name", "params name", "stage/line", "sweep", "suggest"] {
            #expect(Self.cases.contains { $0.name.hasPrefix(kind + " #") }, "no \(kind) cases")
        }
    }

    @Test func badInputIsRefusedInOneLineAndChangesNothing() throws {
        try withScratchDirectory { folder in
            let journalFolder = folder + "/journal"
            try FileManager.default.createDirectory(atPath: journalFolder, withIntermediateDirectories: true)
            try makeDigitsJournal(in: journalFolder)
            #expect(try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=1"], in: journalFolder).status == 0)
            #expect(try BuiltBinary.xj(["commit", "-m", "one run"], in: journalFolder).status == 0)
            let baseline = try snapshot(of: journalFolder + "/.journal")
            // Two workers, each with its own copy of the journal (so a change is blamed on the right case)
            // and its own folder for the case's files.
            for worker in 0..<2 { try FileManager.default.copyItem(atPath: journalFolder + "/.journal", toPath: folder + "/journal\(worker)") }
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                let journal = folder + "/journal\(worker)"
                let files = folder + "/files\(worker)"
                try? FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
                for index in stride(from: worker, to: Self.cases.count, by: 2) {
                    let problem = Self.check(Self.cases[index], journal: journal, files: files)
                    if let problem { failures.add("\(Self.cases[index].name): \(problem)") }
                }
            }
            for failure in failures.all.prefix(30) { Issue.record(Comment(rawValue: failure)) }
            #expect(failures.all.isEmpty, "\(failures.all.count) of \(Self.cases.count) cases failed")
            for worker in 0..<2 { #expect(try snapshot(of: folder + "/journal\(worker)") == baseline) }
        }
    }

    /// Runs one case; nil when it behaved, else what went wrong.
    static func check(_ testCase: Case, journal: String, files: String) -> String? {
        var arguments: [String] = []
        for argument in testCase.arguments {
            if argument.hasPrefix("FILE:") {
                let name = String(argument.dropFirst(5))
                let path = files + "/" + name
                FileManager.default.createFile(atPath: path, contents: Data(testCase.files[name] ?? []))
                arguments.append(path)
            } else {
                arguments.append(argument)
            }
        }
        // --journal right after the subcommand (it is each command's option).
        arguments.insert(contentsOf: ["--journal", journal], at: testCase.arguments[0] == "hypothesis" ? 2 : 1)
        // One remote for the push cases to name.
        if testCase.arguments[0] == "push" { arguments += ["origin"] }
        let before: [String: Data]
        do { before = try snapshot(of: journal) } catch { return "snapshot: \(error)" }
        let result: MeasuredRun
        do { result = try MeasuredRun.run(BuiltBinary.xjPath, arguments, timeout: 10) } catch { return "did not start: \(error)" }
        var problems: [String] = []
        if result.timedOut { problems.append("took over 10 s") }
        if let signal = result.signal { problems.append("ended by signal \(signal)") }
        if result.status == 0 { problems.append("exit 0 (stdout: \(result.stdout.prefix(120).debugDescription))") }
        if result.peakKilobytes > 1 << 20 { problems.append("peak memory \(result.peakKilobytes / 1024) MiB") }
        let usage = result.status == 64
        if !usage && (result.stderr.split(separator: "\n", omittingEmptySubsequences: false).count != 2 || !result.stderr.hasPrefix("xj: error: ")) {
            problems.append("stderr is not one `xj: error:` line: \(result.stderr.prefix(300).debugDescription)")
        }
        if result.stderr.count > 2_000 { problems.append("stderr is \(result.stderr.count) characters") }
        if let after = try? snapshot(of: journal), after != before {
            let changed = Set(after.keys).symmetricDifference(before.keys).union(after.keys.filter { before[$0] != nil && before[$0] != after[$0] })
            problems.append("the journal changed: \(changed.sorted().prefix(5))")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// Failures gathered from the workers.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }
}

extension FuzzCLITests.Generator: RandomNumberGenerator {}
