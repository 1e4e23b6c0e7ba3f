import Testing
@testable import XJCommands

@Suite struct ParsingTests {
    @Test func parsesSubcommandsAndOptions() throws {
        let add = try #require(try XJ.parseAsRoot(["add", "data.csv", "--name", "digits", "--label", "target"]) as? Add)
        #expect(add.inputs == ["data.csv"] && add.name == "digits" && add.label == "target")
        let log = try #require(try XJ.parseAsRoot(["log", "-n", "5", "--json"]) as? Log)
        #expect(log.number == 5 && log.json)
        let commit = try #require(try XJ.parseAsRoot(["commit", "-m", "a", "-m", "b", "--allow-empty"]) as? CommitCommand)
        #expect(commit.message == ["a", "b"] && commit.allowEmpty)
        let diff = try #require(try XJ.parseAsRoot(["diff", "main", "study", "--journal", "/x"]) as? Diff)
        #expect(diff.from == "main" && diff.to == "study" && diff.global.journal == "/x")
    }

    @Test(arguments: [["log", "-n", "0"], ["commit"], ["add"], ["add", "a=1"], ["add", "a.csv", "b.csv"], ["nonsense"]])
    func refusesBadArguments(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try XJ.parseAsRoot(arguments) }
    }
}

@Suite struct GlobalOptionTests {
    @Test func journalBeforeTheSubcommandGoesToTheLeafCommand() {
        #expect(XJMain.movingGlobalOptions(["--journal", "j", "remote", "add", "o", "u"]) == ["remote", "add", "o", "u", "--journal", "j"])
        #expect(XJMain.movingGlobalOptions(["--journal=j", "log"]) == ["log", "--journal=j"])
        #expect(XJMain.movingGlobalOptions(["log", "-n", "2"]) == ["log", "-n", "2"])
    }
}

/// `xj train` read without swift-argument-parser (the "already run" path) is the command the parser reads.
@Suite struct PlainTrainArgumentsTests {
    private func fields(_ train: Train) -> [String] {
        [train.global.journal ?? "·", train.lineOfInquiry.line ?? "·", train.target.data, train.target.val ?? "·", train.target.model,
         train.stored.name ?? "·", "\(train.force)", "\(train.strict)", "\(train.json)"] + train.parameters
    }

    /// Generated argument lists: every one the plain reading takes, the parser reads the same way; the
    /// ones it leaves to the parser include every list the parser refuses.
    @Test func takesOnlyWhatTheParserReadsTheSameWay() throws {
        let options = ["--data", "--val", "--model", "--params", "--on", "--journal"]
        let values = ["digits", "mlp", "linear", "a b", "x=y", "d.csv", "", "-3", "--json", "é"]
        let loose = ["lr=0.1", "seed=3", "hidden=64,32", "=1", "a==b", "-x", "--", "--forse", "seed", "--data-x", "-d", "--strict=1"]
        var generator = SystemRandomNumberGenerator()
        var taken = 0, refusedByBoth = 0
        for _ in 0..<500 {
            var words: [String] = []
            for _ in 0..<Int.random(in: 0...7, using: &generator) {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0...3:
                    let option = options.randomElement(using: &generator)!, value = values.randomElement(using: &generator)!
                    if Bool.random(using: &generator) { words += [option, value] } else { words.append(option + "=" + value) }
                case 4...5: words.append(["--force", "--strict", "--json"].randomElement(using: &generator)!)
                case 6...8: words.append(["lr=0.1", "seed=3", "hidden=64,32", "epochs=2"].randomElement(using: &generator)!)
                default: words.append(loose.randomElement(using: &generator)!)
                }
            }
            if Int.random(in: 0..<3, using: &generator) > 0, !words.contains("--data") { words += ["--data", "digits"] }
            let plain = PlainTrainArguments.command(words)
            let parsed = try? XJ.parseAsRoot(["train"] + words) as? Train
            if let plain {
                taken += 1
                let parsed = try #require(parsed, "the parser refuses \(words), which the plain reading took")
                #expect(fields(plain) == fields(parsed), "\(words)")
            } else if parsed == nil {
                refusedByBoth += 1
            }
        }
        #expect(taken > 100 && refusedByBoth > 50, "taken \(taken), refused by both \(refusedByBoth)")
    }

    @Test func theUsualRerunIsReadPlainly() throws {
        let train = try #require(PlainTrainArguments.command(["--data", "digits", "--model=linear", "seed=2", "--journal", "/j", "--json"]))
        #expect(fields(train) == ["/j", "·", "digits", "·", "linear", "·", "false", "false", "true", "seed=2"])
        #expect(try XJMain.parse(["train", "--data", "digits", "seed=2"]) is Train)
        // Help is the parser's to print.
        #expect(!(try XJMain.parse(["train", "--data", "digits", "--help"]) is Train))
    }
}
