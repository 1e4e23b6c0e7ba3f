/// A command that ends with a non-zero status after saying why (e.g. `xj fsck` finding problems).
struct CommandFailure: Error {
    let message: String
    var status: Int32 = 1
}
