import Testing
import XJTestSupport
@testable import Journal

/// Object ids of fixed inputs, pinned as literals: if one changes, the on-disk format changed
/// (FORMAT.md must say how, and old journals must still be read).
@Suite struct PinnedFormatTests {
    @Test func tinyDatasetAndParameterSetIDs() throws {
        try withScratchJournal { journal, folder in
            let csv = try writeFile(folder, "tiny.csv", Fixtures.tinyCSV)
            let dataset = try journal.addDataset(file: csv, name: "tiny", label: "y")
            let manifest = try journal.dataset(named: "tiny")
            #expect(manifest.data.hex == "9017a977fe22dd11cc7f8da02c4dc440fab0f31e")
            #expect(CanonicalJSON.string(dataset.manifest!.json) == #"{"bytes":49,"classes":[0,1],"columns":[{"max":4,"mean":1.625,"min":-1,"missing":0,"name":"x","std":1.8498310733685928,"type":"numeric"},{"distinct":3,"missing":0,"name":"colour","type":"categorical"},{"max":1,"mean":0.5,"min":0,"missing":0,"name":"y","std":0.5,"type":"numeric"}],"format":"csv","label":"y","rows":4,"task":"classification","xj_manifest":1}"#)
            #expect(dataset.id.hex == "0369a33469fabae873680eeda60e38443b01226e")
            let params = try journal.addParameterSet(try ParameterSet.read(file: try writeFile(folder, "p.yaml", Fixtures.tinyParamsYAML)), name: "p")
            #expect(params.id.hex == "857cdb591ab03cf2e28ddf2967b6888feacc917c")
        }
    }
}
