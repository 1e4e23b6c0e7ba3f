#include "CKernels.h"
#include "cpu_features.h"

/* A matrix product for the LSTM's per-step recurrent products: a few rows (one group of streams)
   times the same weight matrix at every step. Through CBLAS, OpenBLAS repacks the weights at every
   call (a tenth of the training time); here they are packed once per batch and every step reads the
   panels as they are. Panels of 16 columns, each k×16 contiguous, the last one zero-padded. */

enum { PANEL = 16 };

long xj_packed_size(long k, long n) { return ((n + PANEL - 1) / PANEL) * PANEL * k; }

void xj_pack_columns(const float *b, long ldb, int transposed, long k, long n, float *packed) {
    long panels = (n + PANEL - 1) / PANEL;
    for (long panel = 0; panel < panels; panel++) {
        float *target = packed + panel * PANEL * k;
        for (long row = 0; row < k; row++) {
            for (long j = 0; j < PANEL; j++) {
                long column = panel * PANEL + j;
                target[row * PANEL + j] = column >= n ? 0.0f : transposed ? b[column * ldb + row] : b[row * ldb + column];
            }
        }
    }
}

/* The same product one lane at a time, for a CPU without AVX2 (the LSTM calls BLAS there instead,
   but a caller that asks for this product always gets it right). */
void xj_packed_gemm_portable(long rows, long n, long k, const float *a, long lda, const float *packed, float *c, long ldc,
                                 int accumulate) {
    for (long r = 0; r < rows; r++) {
        for (long column = 0; column < n; column++) {
            const float *panel = packed + (column / PANEL) * PANEL * k;
            float sum = 0.0f;
            for (long p = 0; p < k; p++) sum += a[r * lda + p] * panel[p * PANEL + column % PANEL];
            c[r * ldc + column] = accumulate ? c[r * ldc + column] + sum : sum;
        }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* Up to six rows of C times one panel: twelve accumulators, each step over k two panel loads, one
   broadcast per row and two FMAs per row. The sum over k runs in order, the same for every tile. */
__attribute__((target("avx2,fma"), always_inline))
static inline void tile(const int rows, long k, const float *a, long lda, const float *panel, float *c, long ldc,
                        long columns, int accumulate) {
    __m256 low[6], high[6];
    for (int r = 0; r < rows; r++) { low[r] = _mm256_setzero_ps(); high[r] = _mm256_setzero_ps(); }
    for (long p = 0; p < k; p++) {
        const __m256 b0 = _mm256_loadu_ps(panel + PANEL * p), b1 = _mm256_loadu_ps(panel + PANEL * p + 8);
        for (int r = 0; r < rows; r++) {
            const __m256 x = _mm256_broadcast_ss(a + r * lda + p);
            low[r] = _mm256_fmadd_ps(x, b0, low[r]);
            high[r] = _mm256_fmadd_ps(x, b1, high[r]);
        }
    }
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        if (columns == PANEL) {
            if (accumulate) {
                low[r] = _mm256_add_ps(_mm256_loadu_ps(row), low[r]);
                high[r] = _mm256_add_ps(_mm256_loadu_ps(row + 8), high[r]);
            }
            _mm256_storeu_ps(row, low[r]);
            _mm256_storeu_ps(row + 8, high[r]);
        } else {
            float values[PANEL];
            _mm256_storeu_ps(values, low[r]);
            _mm256_storeu_ps(values + 8, high[r]);
            for (long j = 0; j < columns; j++) row[j] = accumulate ? row[j] + values[j] : values[j];
        }
    }
}

__attribute__((target("avx2,fma")))
static void packed_gemm_avx2(long rows, long n, long k, const float *a, long lda, const float *packed, float *c, long ldc,
                             int accumulate) {
    long panels = (n + PANEL - 1) / PANEL;
    for (long panel = 0; panel < panels; panel++) {
        const float *source = packed + panel * PANEL * k;
        long columns = n - panel * PANEL < PANEL ? n - panel * PANEL : PANEL;
        float *target = c + panel * PANEL;
        long r = 0;
        for (; r + 6 <= rows; r += 6) tile(6, k, a + r * lda, lda, source, target + r * ldc, ldc, columns, accumulate);
        switch (rows - r) {
        case 5: tile(5, k, a + r * lda, lda, source, target + r * ldc, ldc, columns, accumulate); break;
        case 4: tile(4, k, a + r * lda, lda, source, target + r * ldc, ldc, columns, accumulate); break;
        case 3: tile(3, k, a + r * lda, lda, source, target + r * ldc, ldc, columns, accumulate); break;
        case 2: tile(2, k, a + r * lda, lda, source, target + r * ldc, ldc, columns, accumulate); break;
        case 1: tile(1, k, a + r * lda, lda, source, target + r * ldc, ldc, columns, accumulate); break;
        default: break;
        }
    }
}

int xj_packed_gemm_available(void) { return xj_cpu_has_avx2_fma(); }

void xj_packed_gemm(long rows, long n, long k, const float *a, long lda, const float *packed, float *c, long ldc,
                    int accumulate) {
    if (xj_cpu_has_avx2_fma()) packed_gemm_avx2(rows, n, k, a, lda, packed, c, ldc, accumulate);
    else xj_packed_gemm_portable(rows, n, k, a, lda, packed, c, ldc, accumulate);
}
#else
int xj_packed_gemm_available(void) { return 0; }

void xj_packed_gemm(long rows, long n, long k, const float *a, long lda, const float *packed, float *c, long ldc,
                    int accumulate) {
    xj_packed_gemm_portable(rows, n, k, a, lda, packed, c, ldc, accumulate);
}
#endif
