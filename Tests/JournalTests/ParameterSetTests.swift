import Testing
import XJTestSupport
@testable import Journal

@Suite struct ParameterSetTests {
    @Test func assignmentsAreTyped() throws {
        let set = try ParameterSet.parse(assignments: ["lr=0.001", "hidden=128,64", "nesterov=true", "optimizer=adam", "name=\"1,2\"", "epochs=30"])
        #expect(set.values["lr"] == .number(0.001))
        #expect(set.values["hidden"] == .array([.number(128), .number(64)]))
        #expect(set.values["nesterov"] == .bool(true))
        #expect(set.values["optimizer"] == .string("adam"))
        #expect(set.values["name"] == .string("1,2"))
        #expect(CanonicalJSON.string(.object(set.values)) == #"{"epochs":30,"hidden":[128,64],"lr":0.001,"name":"1,2","nesterov":true,"optimizer":"adam"}"#)
    }

    /// `null` is JSON null (a program reading XJ_PARAMS gets None, not the text "null"); quoted, it stays text.
    @Test func nullIsTypedAndQuotedNullIsText() throws {
        let set = try ParameterSet.parse(assignments: ["max_depth=null", "label=\"null\"", "flag=false"])
        #expect(CanonicalJSON.string(.object(set.values)) == #"{"flag":false,"label":"null","max_depth":null}"#)
    }

    @Test(arguments: [
        (["lr=nan"], "arguments: parameter `lr`: nan is not a finite number; NaN and infinity cannot be recorded"),
        (["lr=1", "lr=2"], "arguments: parameter `lr`: given more than once"),
        (["lr"], "arguments: parameter `lr`: expected key=value"),
        (["lr="], "arguments: parameter `lr`: has no value"),
        (["=3"], "arguments: parameter ``: a parameter needs a name"),
        (["../x=1"], "arguments: parameter `\"../x\"`: is not a parameter name (a letter or _, then letters, digits, _, - or .)"),
        ([String(repeating: "k", count: 10_000) + "=1"], "arguments: parameter `\(String(repeating: "k", count: 40))…`: the name has 10000 characters; at most 128 are allowed"),
    ])
    func badAssignments(_ arguments: [String], _ message: String) {
        do {
            _ = try ParameterSet.parse(assignments: arguments)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == message)
        }
    }

    /// The YAML and JSON spellings of one parameter set are one object.
    @Test func yamlAndJSONGiveTheSameBytes() throws {
        try withScratchDirectory { folder in
            let json = try ParameterSet.read(file: try writeFile(folder, "p.json", Fixtures.tinyParamsJSON))
            let yaml = try ParameterSet.read(file: try writeFile(folder, "p.yaml", Fixtures.tinyParamsYAML))
            #expect(json.canonicalBytes == yaml.canonicalBytes)
        }
    }

    @Test(arguments: [
        ("dup.yaml", "a: 1\na: 2\n", "dup.yaml line 2, column 1: duplicate key \"a\""),
        ("nan.yaml", "a: .nan\n", "nan.yaml line 1, column 4: .nan is not a finite number; NaN and infinity cannot be recorded"),
        ("list.yaml", "- 1\n- 2\n", "list.yaml: parameter `(top level)`: must be a mapping of names to values"),
        ("bad.yaml", "a: [1, 2\n", "bad.yaml line 2, column 1: did not find expected ',' or ']'"),
        ("p.toml", "a = 1\n", "p.toml: a parameter file must end in .json, .yaml or .yml"),
    ])
    func badFiles(_ name: String, _ text: String, _ message: String) throws {
        try withScratchDirectory { folder in
            let path = try writeFile(folder, name, text)
            do {
                _ = try ParameterSet.read(file: path)
                Issue.record("expected an error")
            } catch {
                #expect("\(error)".hasSuffix(message))
            }
        }
    }
}
