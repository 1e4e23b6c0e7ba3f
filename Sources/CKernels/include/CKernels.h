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

/* Which version `xj_lstm_gates` runs on this CPU: "avx2" or "portable". */
const char *xj_kernels_version(void);

#endif
