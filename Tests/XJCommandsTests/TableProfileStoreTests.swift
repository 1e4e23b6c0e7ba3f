import Testing
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
}
