/// A command that ends with a non-zero status after saying why (e.g. `xj fsck` finding problems).
struct CommandFailure: Error {
    let message: String
    var status: Int32 = 1

    init(message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
    }

    init(status: Int32, message: String) {
        self.init(message: message, status: status)
    }
}
