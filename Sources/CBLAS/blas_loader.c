#include "xj_blas.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* CBLAS's enumerations, by value (cblas.h is not needed for six numbers). */
enum { ROW_MAJOR = 101, NO_TRANSPOSE = 111, TRANSPOSE = 112 };

typedef void (*sgemm_function)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*sgemv_function)(int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dsyev_function)(const char *, const char *, const int *, double *, const int *, double *, double *,
                               const int *, int *, size_t, size_t);
typedef char *(*name_function)(void);
typedef int (*count_function)(void);
typedef void (*set_count_function)(int);

static struct {
    void *handle;
    sgemm_function sgemm;
    sgemv_function sgemv;
    dsyev_function dsyev;
    name_function config;
    name_function corename;
    count_function threads;
    set_count_function set_threads;
} blas;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static xj_blas_core_chooser core_chooser;

static void *symbol(const char *name) {
    void *found = dlsym(blas.handle, name);
    if (!found) {
        fprintf(stderr, "xj: error: OpenBLAS lacks %s (%s); install Debian's libopenblas0\n", name, dlerror());
        exit(70);
    }
    return found;
}

static void open_library(void) {
    /* The soname Debian's libopenblas0 provides (through the alternatives system). */
    blas.handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!blas.handle) {
        fprintf(stderr, "xj: error: cannot load OpenBLAS: %s; install Debian's libopenblas0\n", dlerror());
        exit(70);
    }
    blas.sgemm = (sgemm_function)symbol("cblas_sgemm");
    blas.sgemv = (sgemv_function)symbol("cblas_sgemv");
    blas.dsyev = (dsyev_function)symbol("dsyev_");
    blas.config = (name_function)symbol("openblas_get_config");
    blas.corename = (name_function)symbol("openblas_get_corename");
    blas.threads = (count_function)symbol("openblas_get_num_threads");
    blas.set_threads = (set_count_function)symbol("openblas_set_num_threads");
}

static void load(void) {
    /* XJ_BLAS_FIRST_CORETYPE makes the first load use that kernel set, as OpenBLAS does on a CPU model
       it does not know: how the tests reach the reload below on a CPU OpenBLAS knows. */
    const char *user = getenv("OPENBLAS_CORETYPE");
    const char *first = user ? NULL : getenv("XJ_BLAS_FIRST_CORETYPE");
    if (first && *first) setenv("OPENBLAS_CORETYPE", first, 1);
    open_library();
    if (first && *first) unsetenv("OPENBLAS_CORETYPE");
    const char *better = (!user && core_chooser) ? core_chooser(blas.corename()) : NULL;
    if (better) {
        /* OpenBLAS picks its kernels when it loads: unloading it (its destructor stops its threads)
           and loading it again with OPENBLAS_CORETYPE set is the only way to change them. Child
           processes inherit the choice and load once. */
        dlclose(blas.handle);
        setenv("OPENBLAS_CORETYPE", better, 1);
        open_library();
    }
}

static inline void ensure_loaded(void) { pthread_once(&load_once, load); }

void xj_blas_set_core_chooser(xj_blas_core_chooser chooser) { core_chooser = chooser; }

void xj_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
              const float *b, int ldb, float beta, float *c, int ldc) {
    ensure_loaded();
    blas.sgemm(ROW_MAJOR, transpose_a ? TRANSPOSE : NO_TRANSPOSE, transpose_b ? TRANSPOSE : NO_TRANSPOSE, m, n, k, alpha, a, lda,
               b, ldb, beta, c, ldc);
}

void xj_sgemv(int m, int n, float alpha, const float *a, int lda, const float *x, int incx, float beta, float *y, int incy) {
    ensure_loaded();
    blas.sgemv(ROW_MAJOR, NO_TRANSPOSE, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

void xj_dsyev(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
              const int *lwork, int *info) {
    ensure_loaded();
    /* The two trailing lengths are gfortran's hidden CHARACTER lengths. */
    blas.dsyev(jobz, uplo, n, a, lda, w, work, lwork, info, 1, 1);
}

const char *xj_blas_config(void) {
    ensure_loaded();
    return blas.config();
}

const char *xj_blas_corename(void) {
    ensure_loaded();
    return blas.corename();
}

int xj_blas_threads(void) {
    ensure_loaded();
    return blas.threads();
}

void xj_blas_set_threads(int count) {
    ensure_loaded();
    blas.set_threads(count);
}
