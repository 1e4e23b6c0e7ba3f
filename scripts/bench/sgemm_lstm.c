/* The sgemm bound of one LSTM language-model training batch: times cblas_sgemm alone on exactly the
 * matrix products xj's CharacterLSTM makes for one batch (B streams × T steps, L layers of H units,
 * vocabulary V), and prints the products' FLOPs, the seconds per batch and the characters per second
 * a trainer that did nothing but these products would reach.
 * Usage: sgemm_lstm B T H L V rounds */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void gemm(int transA, int transB, int m, int n, int k, const float *a, const float *b, float *c, double *flops) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, 1.0f,
                a, transA ? m : k, b, transB ? k : n, 1.0f, c, n);
    *flops += 2.0 * m * n * k;
}

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: sgemm_lstm B T H L V rounds\n"); return 2; }
    int B = atoi(argv[1]), T = atoi(argv[2]), H = atoi(argv[3]), L = atoi(argv[4]), V = atoi(argv[5]), rounds = atoi(argv[6]);
    int N = B * T, H4 = 4 * H;
    size_t big = (size_t)N * (H4 > V ? H4 : V) + (size_t)H * H4 + (size_t)H * V;
    float *x = calloc(big, sizeof(float)), *w = calloc(big, sizeof(float)), *y = calloc(big, sizeof(float));
    double flops = 0, start = 0;
    for (int round = -1; round < rounds; round++) {
        if (round == 0) { start = now(); flops = 0; }
        for (int layer = 0; layer < L; layer++) {
            if (layer > 0) gemm(0, 0, N, H4, H, x, w, y, &flops);          /* input projection, all steps */
            for (int t = 0; t < T; t++) gemm(0, 0, B, H4, H, x, w, y, &flops);  /* recurrent, per step */
            for (int t = 1; t < T; t++) gemm(0, 1, B, H, H4, y, w, x, &flops);  /* dh(t-1) = dZ Wh^T */
            gemm(1, 0, H, H4, N, x, y, w, &flops);                          /* dWh */
            if (layer > 0) { gemm(1, 0, H, H4, N, x, y, w, &flops); gemm(0, 1, N, H, H4, y, w, x, &flops); } /* dWx, dX */
        }
        gemm(0, 0, N, V, H, x, w, y, &flops);  /* logits */
        gemm(1, 0, H, V, N, x, y, w, &flops);  /* dWo */
        gemm(0, 1, N, H, V, y, w, x, &flops);  /* dTop */
    }
    double seconds = (now() - start) / rounds;
    printf("%.0f %.6f %.1f\n", flops / rounds, seconds, N / seconds);
    return 0;
}
