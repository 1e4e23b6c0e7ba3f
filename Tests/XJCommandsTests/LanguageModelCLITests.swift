import Foundation
import Testing
import XJTestSupport

/// Text corpora and `xj train --model lstm` from the command line (issue 20): ingest and its bad
/// inputs, training that records bits per character, re-runs and replicates, refusals by name, and
/// the study script in its reduced form.
@Suite struct LanguageModelCLITests {
    static var root: String { URL(fileURLWithPath: Fixtures.digitsPath).deletingLastPathComponent().deletingLastPathComponent().path }

    /// A journal with the first 2,000 characters of tiny Shakespeare as `small` (committed).
    func makeTextJournal(_ folder: String) throws {
        let text = try String(contentsOfFile: Self.root + "/data/tinyshakespeare.txt", encoding: .utf8)
        try writeFile(folder, "small.txt", String(text.prefix(2000)))
        #expect(try BuiltBinary.xj(["init"], in: folder).status == 0)
        let added = try BuiltBinary.xj(["add", "small.txt", "--text"], in: folder)
        #expect(added.stdout.hasPrefix("dataset small ") && added.stdout.hasSuffix(": text, 2000 characters, 49 distinct, 77 lines, first 90% for training — staged\n"),
                "\(added.stdout)\(added.stderr)")
        #expect(try BuiltBinary.xj(["commit", "-m", "text"], in: folder).status == 0)
    }

    @Test func badTextIsRefusedInOneLineAndTheJournalStaysAsItWas() throws {
        try withScratchDirectory { folder in
            try makeTextJournal(folder)
            try writeFile(folder, "binary.txt", [0x61, 0x62, 0x00, 0x63])
            try writeFile(folder, "latin1.txt", Array("caf".utf8) + [0xE9, 0x0A])
            try writeFile(folder, "cut.txt", Array("caf".utf8) + [0xC3])
            try writeFile(folder, "overlong.txt", [0x61, 0xC0, 0xAF])
            try writeFile(folder, "empty.txt", [])
            try writeFile(folder, "one.txt", "a")
            let cases: [([String], String)] = [
                (["add", "binary.txt", "--text"], "binary.txt byte 3: a NUL byte: this is a binary file, not text"),
                (["add", "latin1.txt", "--text"], "latin1.txt byte 4: invalid UTF-8 (a broken multi-byte character)"),
                (["add", "cut.txt", "--text"], "cut.txt byte 4: invalid UTF-8 (the file ends inside a character)"),
                (["add", "overlong.txt", "--text"], "overlong.txt byte 2: invalid UTF-8 (byte 0xc0)"),
                (["add", "empty.txt", "--text"], "empty.txt: the file is empty"),
                (["add", "one.txt", "--text"], "one.txt: a text corpus needs at least two characters"),
                (["add", "small.txt"], "small.txt is text: add it with --text"),
                (["add", "small.txt", "--text", "--split", "1.5"], "--split must be between 0 and 1 (exclusive), got 1.5"),
                (["add", "small.txt", "--split", "0.8"], "--split applies to a text corpus (--text)"),
                (["add", "small.txt", "--text", "--label", "x"], "--label and --task are for tables"),
                (["train", "--data", "small", "--model", "mlp"], "dataset small is a text corpus: train it with --model lstm"),
                (["train", "--data", "small", "--model", "lstm", "dropout_mode=naive", "recurrent_dropout=0.2"], "parameter `recurrent_dropout`: applies to dropout_mode=variational"),
                (["train", "--data", "small", "--model", "lstm", "dropout_mode=sideways"], "parameter `dropout_mode`: must be one of naive, variational, got \"sideways\""),
                (["train", "--data", "small", "--model", "lstm", "seq_len=200"], "parameter `batch_size`: × seq_len = 6400 characters per batch, more than the 1800 training characters"),
                (["train", "--data", "small", "--model", "lstm", "hiden=8"], "unknown parameter `hiden` for model=lstm (did you mean `hidden`?)"),
                (["train", "--data", "small", "--model", "lstm", "mc_samples=10"], "parameter `mc_samples`: needs dropout_mode=variational with some dropout"),
                (["train", "--data", "small", "--model", "mlp", "dropout_mode=naive"], "parameter `dropout_mode`: applies to model=lstm only"),
                (["train", "--data", "small", "--model", "lstm", "hidden=4096", "batch_size=1024", "seq_len=1"], "parameter `hidden`: with batch_size=1024"),
            ]
            let before = try snapshot(of: folder + "/.journal")
            for (arguments, expected) in cases {
                let result = try BuiltBinary.xj(arguments, in: folder, environment: ["XJ_MEMORY_LIMIT": "1G"])
                #expect(result.status != 0, "\(arguments)")
                let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage:") && !$0.contains("for more information") }
                #expect(lines.count == 1 && lines[0].hasPrefix("xj: error: ") && lines[0].contains(expected), "\(arguments): \(result.stderr)")
                #expect(try snapshot(of: folder + "/.journal") == before, "\(arguments) changed the journal")
            }
        }
    }

    @Test func anLSTMTrainsOnTextAndRecordsBitsPerCharacter() throws {
        try withScratchDirectory { folder in
            try makeTextJournal(folder)
            let arguments = ["train", "--data", "small", "--model", "lstm", "hidden=16", "layers=1", "seq_len=20", "batch_size=4", "epochs=3",
                             "dropout=0.2", "recurrent_dropout=0.2", "seed=1"]
            let trained = try BuiltBinary.xj(arguments + ["--json"], in: folder)
            #expect(trained.status == 0, "\(trained.stderr)")
            let record = try #require(try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])
            let metrics = try #require(record["metrics"] as? [String: Double])
            for key in ["val_bpc", "val_ppl", "val_loss", "train_bpc", "train_eval_bpc", "bpc_gap", "parameters"] { #expect(metrics[key] != nil, "\(key)") }
            // Better than guessing among the 49 characters (log2 49 = 5.6 bits).
            #expect(metrics["val_bpc"]! < log2(49.0))
            #expect(abs(metrics["val_ppl"]! - exp(metrics["val_loss"]!)) < 1e-6 * metrics["val_ppl"]!)
            let again = try BuiltBinary.xj(arguments, in: folder)
            #expect(again.stdout.hasPrefix("already run: experiment "), "\(again.stdout)")
            let replicate = try BuiltBinary.xj(arguments + ["--force"], in: folder)
            #expect(replicate.stdout.contains("replicate: bit-identical to 1 earlier run(s)"), "\(replicate.stdout)")
            let experiment = try #require(record["id"] as? String)
            let curve = try BuiltBinary.xj(["show", String(experiment.prefix(7))], in: folder)
            #expect(curve.stdout.contains("Learning curve:\n  epoch  train_bpc  val_bpc"), "\(curve.stdout)")
            let plotted = try BuiltBinary.xj(["plot", String(experiment.prefix(7)), "-o", folder + "/curves.svg"], in: folder)
            #expect(plotted.status == 0, "\(plotted.stderr)")
            let svg = try String(contentsOfFile: folder + "/curves.svg", encoding: .utf8)
            #expect(svg.contains("bits per character"))
            let shown = try BuiltBinary.xj(["show", "small"], in: folder)
            #expect(shown.stdout.contains("2000 characters in 77 lines; the first 90% train, the rest validates"), "\(shown.stdout)")
            let fsck = try BuiltBinary.xj(["fsck", "--full"], in: folder)
            #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
        }
    }

    @Test func theStudyScriptRunsInItsReducedForm() throws {
        try withScratchDirectory { folder in
            let started = Date()
            let study = try BuiltBinary.run("/bin/bash", [Self.root + "/scripts/studies/rnn-dropout", "--quick", folder + "/study"], in: folder,
                                            environment: ["XJ_BIN": BuiltBinary.xjPath])
            #expect(study.status == 0, "\(study.stderr)")
            #expect(study.stdout.contains("hypothesis variational-dropout — 2 experiments"), "\(study.stdout)")
            #expect(study.stdout.contains("prediction 1: INCONCLUSIVE  mean(val_bpc | dropout_mode=variational, recurrent_dropout=0.25) < mean(val_bpc | dropout_mode=naive, recurrent_dropout=0)"),
                    "\(study.stdout)")
            #expect(FileManager.default.fileExists(atPath: folder + "/study/report.html"))
            #expect(Date().timeIntervalSince(started) < 60)
        }
    }
}
