/* Times cblas_sgemm on exactly the matrix products of one training step of an MLP
 * in -> hidden -> out with batch B (forward 2, backward 3: dW2, dH, dW1), and prints
 * the step's flops, the seconds per step and the rate, for the BLAS-bound samples/second.
 * After a warm-up pass, the steps run in ten passes and the fastest pass is reported: on a
 * shared machine other work only ever slows a pass, so the fastest is the bound's own speed
 * (the training bench takes xj's fastest epoch alike).
 * Build: gcc -O2 sgemm_step.c $(pkg-config --cflags --libs openblas) -o sgemm_step */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *filled(size_t n) {
    float *p = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++) p[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    return p;
}

int main(int argc, char **argv) {
    int nb = argc > 1 ? atoi(argv[1]) : 128, ni = argc > 2 ? atoi(argv[2]) : 784;
    int nh = argc > 3 ? atoi(argv[3]) : 256, no = argc > 4 ? atoi(argv[4]) : 10, steps = argc > 5 ? atoi(argv[5]) : 2000;
    float *X = filled((size_t)nb * ni), *W1 = filled((size_t)nh * ni), *Hd = filled((size_t)nb * nh), *W2 = filled((size_t)no * nh);
    float *Y = filled((size_t)nb * no), *G = filled((size_t)nb * no), *dW2 = filled((size_t)no * nh), *dH = filled((size_t)nb * nh), *dW1 = filled((size_t)nh * ni);
    double flops = 2.0 * nb * ni * nh + 2.0 * nb * nh * no + 2.0 * no * nb * nh + 2.0 * nb * no * nh + 2.0 * nh * nb * ni;
    int passes = 10, per_pass = steps / passes > 0 ? steps / passes : 1;
    double best = 1e30;
    for (int pass = 0; pass <= passes; pass++) {
        double start = now();
        for (int s = 0; s < per_pass; s++) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, nh, ni, 1, X, ni, W1, ni, 0, Hd, nh);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb, no, nh, 1, Hd, nh, W2, nh, 0, Y, no);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, no, nh, nb, 1, G, no, Hd, nh, 0, dW2, nh);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nb, nh, no, 1, G, no, W2, nh, 0, dH, nh);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nh, ni, nb, 1, dH, nh, X, ni, 0, dW1, ni);
        }
        double seconds = (now() - start) / per_pass;
        if (pass > 0 && seconds < best) best = seconds;
    }
    printf("%.0f %.9f %.3f\n", flops, best, flops / best / 1e9);
    return 0;
}
