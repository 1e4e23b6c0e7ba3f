#ifndef XJ_GIT_START_H
#define XJ_GIT_START_H

/// The certificate bundle Debian's libgit2 (mbedTLS) reads in `git_libgit2_init`; its compiled-in
/// GIT_DEFAULT_CERT_LOCATION.
#define XJ_LIBGIT2_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
/// The folder libgit2 falls back to when that file is missing.
#define XJ_LIBGIT2_CA_FOLDER "/etc/ssl/certs"

/// `git_libgit2_init()` without parsing the system's certificate bundle (Decisions/0021): while it
/// runs, `stat` says the bundle is not there, so libgit2 starts with no certificate authorities.
/// `xj_git_load_certificates` loads them before the first https connection.
int xj_git_init_without_certificates(void);

/// Loads the bundle (or, without it, the folder) libgit2 would have loaded at start-up, once;
/// returns libgit2's status, 0 when nothing needed loading.
int xj_git_load_certificates(void);

/// Whether the certificate authorities are loaded (for tests).
int xj_git_certificates_loaded(void);

#endif
