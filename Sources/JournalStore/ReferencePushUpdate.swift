/// One ref a push asks a remote to change.
struct ReferencePushUpdate {
    /// The remote's ref name (`refs/heads/main`).
    let name: String
    /// The new target; nil deletes the ref.
    let target: ObjectID?
    /// Whether the update may drop the remote's commits (a `+` refspec); else it must fast-forward.
    let force: Bool
    /// For a compare-and-swap: the value the remote's ref must still have (`.some(nil)`: must not exist).
    let expected: ObjectID??
}
