#ifndef XJ_CKERNELS_H
#define XJ_CKERNELS_H

/* Element-wise loops of the training core that the Swift compiler cannot vectorise for the baseline
   x86-64 it targets: written in C with an AVX2+FMA version chosen at run time by the CPU's features,
   and a portable version for every other CPU (README.md). */

/* One LSTM step's gates for `rows` rows of `hidden` units. `z` holds each row's pre-activations
   [i | f | g | o] (4·hidden) and receives the activated gates (sigmoid, sigmoid, tanh, sigmoid);
   then c = f·c_prev + i·g, tanh(c) and h = o·tanh(c) are written, row by row, to `cells`,
   `tanh_cells` and `outputs`. Rows of `z` are 4·hidden apart; rows of the others hidden apart. */
void xj_lstm_gates(float *z, const float *previous_cells, float *cells, float *tanh_cells, float *outputs,
                   long rows, long hidden);

/* The portable version alone, whatever the CPU (tests compare the two). */
void xj_lstm_gates_portable(float *z, const float *previous_cells, float *cells, float *tanh_cells, float *outputs,
                            long rows, long hidden);

/* One Adam step over `count` parameters: with k = constants (decay, β₁, 1 − β₁, β₂, 1 − β₂, step size
   η/(1 − β₁ᵗ), 1/√(1 − β₂ᵗ), ε): g' = g + decay·w, m ← β₁m + (1 − β₁)g', s ← β₂s + (1 − β₂)g'·g',
   w ← w − step·m / (√s·k₆ + ε). Eight lanes with AVX where the CPU has AVX2; the same IEEE operations
   in the same order either way (no fused multiply-add), so the bits do not depend on the CPU. */
void xj_adam_update(float *w, const float *g, float *m, float *s, long count, const float *constants);

/* The one-lane version alone, whatever the CPU (tests compare the two). */
void xj_adam_update_portable(float *w, const float *g, float *m, float *s, long count, const float *constants);

/* Which version `xj_lstm_gates` runs on this CPU: "avx2" or "portable". */
const char *xj_kernels_version(void);

/* The columns of a k×n matrix B rearranged for xj_packed_gemm: panels of 16 columns, each k×16
   contiguous, the last zero-padded. B is row-major with leading dimension `ldb`, or, with
   `transposed`, given as Bᵀ (n×k, leading dimension `ldb`). `packed` holds xj_packed_size(k, n) floats. */
long xj_packed_size(long k, long n);
void xj_pack_columns(const float *b, long ldb, int transposed, long k, long n, float *packed);

/* C (rows×n, leading dimension `ldc`) = A·B, or C += A·B with `accumulate`; A is rows×k (leading
   dimension `lda`), B packed by xj_pack_columns. For a few rows against the same B many times (an
   LSTM's recurrent weights at every step), where BLAS would repack B at every call. Fast with
   AVX2+FMA; where xj_packed_gemm_available() is 0 it runs one lane at a time, and callers use BLAS. */
int xj_packed_gemm_available(void);
void xj_packed_gemm(long rows, long n, long k, const float *a, long lda, const float *packed, float *c, long ldc,
                    int accumulate);

/* The one-lane version alone, whatever the CPU (tests compare the two). */
void xj_packed_gemm_portable(long rows, long n, long k, const float *a, long lda, const float *packed, float *c, long ldc,
                             int accumulate);

/* Tells glibc's malloc to keep freed memory for reuse: training frees and allocates the same large
   buffers at every batch, and without this every batch faulted their pages back in, zeroed. Called
   once by the executable; does nothing without glibc. */
void xj_keep_freed_memory(void);

#endif
