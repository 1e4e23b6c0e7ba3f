#ifndef XJ_BLAS_H
#define XJ_BLAS_H

#include <stddef.h>

/* OpenBLAS, loaded on the first call that needs it (dlopen) rather than when the process starts:
   loading it and starting its threads costs about 5 ms, a sixth of a command that never multiplies a
   matrix (`xj train` answering "already run", `xj runs`, `xj log`). README.md says why and how. */

/* Row-major C = alpha·op(A)·op(B) + beta·C (cblas_sgemm); a nonzero transpose flag means op(X) = Xᵀ. */
void xj_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
              const float *b, int ldb, float beta, float *c, int ldc);

/* Row-major y = alpha·A·x + beta·y for A m×n (cblas_sgemv, no transpose). */
void xj_sgemv(int m, int n, float alpha, const float *a, int lda, const float *x, int incx, float beta, float *y, int incy);

/* LAPACK's dsyev (eigenvalues of a symmetric matrix), as Debian's OpenBLAS exports it. */
void xj_dsyev(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
              const int *lwork, int *info);

/* OpenBLAS's build description, kernel set ("Zen", "Haswell", "Prescott"), and thread count. */
const char *xj_blas_config(void);
const char *xj_blas_corename(void);
int xj_blas_threads(void);
void xj_blas_set_threads(int count);

/* Given the kernel set OpenBLAS chose on loading, the one to use instead (a static string), or NULL to
   keep it. When it names one, OpenBLAS is unloaded and loaded again with OPENBLAS_CORETYPE set to it,
   before any product runs. Registered once by the executable, before the first call above; never
   consulted when the user set OPENBLAS_CORETYPE. */
typedef const char *(*xj_blas_core_chooser)(const char *chosen);
void xj_blas_set_core_chooser(xj_blas_core_chooser chooser);

#endif
