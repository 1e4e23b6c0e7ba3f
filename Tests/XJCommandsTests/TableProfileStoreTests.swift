import Testing
import Journal
@testable import XJCommands

/// A stored table profile is brought up to date only when the scope gained experiments; a scope that
/// lost any (or holds others) is profiled anew, so the table never keeps the width or column of a
/// row it no longer has.
@Suite struct TableProfileStoreTests {
    @Test func onlyAScopeThatGainedExperimentsIsUpdatedInPlace() {
        #expect(TableProfileStore.added(to: [2, 5, 9], in: [1, 2, 5, 7, 9, 12]) == [1, 7, 12])
        #expect(TableProfileStore.added(to: [2, 5, 9], in: [2, 5, 9]) == [])
        #expect(TableProfileStore.added(to: [], in: [3, 4]) == [3, 4])
        #expect(TableProfileStore.added(to: [2, 5, 9], in: [2, 9, 11]) == nil, "5 was lost")
        #expect(TableProfileStore.added(to: [2, 5, 9], in: [2, 5]) == nil, "9 was lost")
        #expect(TableProfileStore.added(to: [2, 5, 9], in: [1, 3, 6, 10]) == nil, "all others")
        #expect(TableProfileStore.merged([1, 4, 9], [2, 4, 10]) == [1, 2, 4, 4, 9, 10])
    }

    @Test func theFingerprintIgnoresOrderButNotMembers() {
        let prefixes: [UInt64] = [0xdead_beef, 1 << 63, 42, 7]
        #expect(TableProfileStore.fingerprint(prefixes) == TableProfileStore.fingerprint(prefixes.reversed()))
        #expect(TableProfileStore.fingerprint(prefixes) != TableProfileStore.fingerprint([0xdead_beef, 1 << 63, 42, 8]))
        #expect(TableProfileStore.fingerprint(prefixes) != TableProfileStore.fingerprint(Array(prefixes.dropLast())))
    }

    /// A profile survives its own encoding; one claiming a column wider than any padding xj would
    /// write is refused (and so made anew) rather than padding every line with it.
    @Test func aStoredProfileRoundTripsAndAnAbsurdWidthIsRefused() throws {
        var profile = TableProfile()
        profile.rows = 2
        profile.parameters["lr"] = TableProfile.Parameter(first: .number(0.1), varies: true, present: 2, width: 4)
        profile.metrics["val_loss"] = TableProfile.Metric(present: 1, width: 6)
        profile.modelWidth = 3
        profile.statusWidth = 2
        let decoded = try #require(TableProfileStore.decode(TableProfileStore.encode(profile)))
        #expect(decoded.parameters == profile.parameters && decoded.metrics == profile.metrics && decoded.rows == 2)
        #expect(decoded.varyingParameters == ["lr"] && decoded.width(of: "val_loss") == 6 && decoded.width(of: "lr") == 4)
        profile.metrics["val_loss"]?.width = TableProfileStore.maximumWidth + 1
        #expect(TableProfileStore.decode(TableProfileStore.encode(profile)) == nil)
    }
}
