#define _GNU_SOURCE
#include "git_start.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>

static atomic_int hiding_certificates;
static atomic_int certificates_loaded;
static pthread_mutex_t loading = PTHREAD_MUTEX_INITIALIZER;

/* Defined here, this `stat` is the one the process's libraries bind to (xj is linked with
   -export-dynamic). It is glibc's own stat, `fstatat(AT_FDCWD, …, 0)`, except for the one file,
   and only while `xj_git_init_without_certificates` runs. */
int stat(const char *restrict path, struct stat *restrict buffer) {
    if (atomic_load_explicit(&hiding_certificates, memory_order_acquire) && strcmp(path, XJ_LIBGIT2_CA_FILE) == 0) {
        errno = ENOENT;
        return -1;
    }
    return fstatat(AT_FDCWD, path, buffer, 0);
}

int xj_git_init_without_certificates(void) {
    atomic_store_explicit(&hiding_certificates, 1, memory_order_release);
    int status = git_libgit2_init();
    atomic_store_explicit(&hiding_certificates, 0, memory_order_release);
    return status;
}

int xj_git_load_certificates(void) {
    pthread_mutex_lock(&loading);
    int status = 0;
    if (!atomic_load(&certificates_loaded)) {
        struct stat info;
        /* libgit2's own order: the bundle if it is a file, else the folder. */
        if (stat(XJ_LIBGIT2_CA_FILE, &info) == 0 && S_ISREG(info.st_mode)) {
            status = git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, XJ_LIBGIT2_CA_FILE, NULL);
        } else if (stat(XJ_LIBGIT2_CA_FOLDER, &info) == 0 && S_ISDIR(info.st_mode)) {
            status = git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, NULL, XJ_LIBGIT2_CA_FOLDER);
        }
        if (status == 0) atomic_store(&certificates_loaded, 1);
    }
    pthread_mutex_unlock(&loading);
    return status;
}

int xj_git_certificates_loaded(void) { return atomic_load(&certificates_loaded); }
