#include <cblas.h>

#include <stddef.h>
/* LAPACK's symmetric eigen-solver, which Debian's OpenBLAS exports (no lapack.h needed).
   The two trailing lengths are gfortran's hidden CHARACTER lengths. */
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info, size_t jobz_len, size_t uplo_len);
