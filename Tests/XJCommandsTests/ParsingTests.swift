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
