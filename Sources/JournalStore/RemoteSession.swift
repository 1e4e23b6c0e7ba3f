import CGit2
import Foundation

/// What the C callbacks of one network operation share: progress, credentials, the host-key check,
/// and the refs a push could not update. Passed to libgit2 as the callbacks' payload.
final class RemoteSession {
    let progress: ((TransferProgress) -> Void)?
    var credentialAttempts = 0
    var rejected: [(String, String)] = []
    var hostKeyProblem: String?
    /// For a compare-and-swap push: the value each remote ref must still have (nil: must not exist).
    var lease: [String: ObjectID?]?
    /// The leased refs the remote advertised with another value; the push was aborted.
    var leaseBroken: [String] = []

    init(progress: ((TransferProgress) -> Void)?) { self.progress = progress }

    /// Fills `callbacks` with this session's C functions and itself as payload. The session must
    /// outlive the operation (the caller keeps it alive across the libgit2 call).
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.transfer_progress = { stats, payload in
            guard let stats, let payload else { return 0 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            session.progress?(TransferProgress(objects: Int(stats.pointee.received_objects), totalObjects: Int(stats.pointee.total_objects),
                                               bytes: Int(stats.pointee.received_bytes)))
            return 0
        }
        callbacks.push_transfer_progress = { current, total, bytes, payload in
            guard let payload else { return 0 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            session.progress?(TransferProgress(objects: Int(current), totalObjects: Int(total), bytes: Int(bytes)))
            return 0
        }
        callbacks.push_negotiation = { updates, count, payload in
            guard let payload, let updates else { return 0 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            guard let lease = session.lease else { return 0 }
            for index in 0..<count {
                guard let update = updates[index]?.pointee, let destination = update.dst_refname else { continue }
                let name = String(cString: destination)
                guard let expected = lease[name] else { continue }
                let current = ObjectID(update.src)
                let matches = expected.map { $0 == current } ?? current.isZero
                if !matches { session.leaseBroken.append(name) }
            }
            return session.leaseBroken.isEmpty ? 0 : GIT_EUSER.rawValue
        }
        callbacks.push_update_reference = { name, status, payload in
            guard let payload, let status else { return 0 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            session.rejected.append((name.map { String(cString: $0) } ?? "?", String(cString: status)))
            return 0
        }
        callbacks.credentials = { out, url, usernameFromURL, allowed, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            session.credentialAttempts += 1
            guard session.credentialAttempts <= 3 else { return GIT_EAUTH.rawValue }
            let environment = ProcessInfo.processInfo.environment
            let user = usernameFromURL.map { String(cString: $0) } ?? environment["XJ_USERNAME"] ?? "git"
            if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
                if let key = environment["XJ_SSH_KEY"] {
                    return git_credential_ssh_key_new(out, user, environment["XJ_SSH_PUBLIC_KEY"], key, environment["XJ_SSH_PASSPHRASE"])
                }
                return git_credential_ssh_key_from_agent(out, user)
            }
            if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
                if let password = environment["XJ_PASSWORD"] {
                    return git_credential_userpass_plaintext_new(out, environment["XJ_USERNAME"] ?? user, password)
                }
                if let url, let (helperUser, password) = GitCredentialHelper.fill(url: String(cString: url)) {
                    return git_credential_userpass_plaintext_new(out, helperUser, password)
                }
            }
            return GIT_PASSTHROUGH.rawValue
        }
        callbacks.certificate_check = { certificate, valid, host, payload in
            guard let certificate, let host, let payload else { return GIT_PASSTHROUGH.rawValue }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
                // TLS: libgit2 has already checked the chain and the name (`valid`).
                guard valid == 0 else { return 0 }
                session.hostKeyProblem = "the TLS certificate of \(String(cString: host)) could not be verified: no authority this machine trusts signed it, or it names another host"
                return GIT_ECERTIFICATE.rawValue
            }
            let hostKey = UnsafeRawPointer(certificate).assumingMemoryBound(to: git_cert_hostkey.self).pointee
            guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
                session.hostKeyProblem = "the ssh server did not send its host key"
                return GIT_ECERTIFICATE.rawValue
            }
            let key = Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
            let hostname = String(cString: host)
            let path = (ProcessInfo.processInfo.environment["HOME"] ?? "~") + "/.ssh/known_hosts"
            if KnownHosts(contents: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "").accepts(host: hostname, key: key) { return 0 }
            session.hostKeyProblem = "the host key of \(hostname) is not in \(path); connect once with ssh to check and record it"
            return GIT_ECERTIFICATE.rawValue
        }
    }
}
