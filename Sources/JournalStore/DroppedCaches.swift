/// What `GitRepository.stopReadingPacksDirectly` hands to another thread to free: nothing reads it
/// again, so passing it between threads is safe.
struct DroppedCaches: @unchecked Sendable {
    let directReads: DirectPackReads?
    let inflatedObjects: InflatedObjects?
}
