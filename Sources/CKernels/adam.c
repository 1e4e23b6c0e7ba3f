#include "CKernels.h"
#include "cpu_features.h"
#include <math.h>

/* No fused multiply-adds: both versions below do the IEEE operations Optimizer.update wrote in Swift,
   in the same order, so the weights are the same bits on every CPU and for every length. */
#pragma STDC FP_CONTRACT OFF

static inline void adam_element(float *w, const float *g, float *m, float *s, long i, const float *k) {
    /* k: decay, beta1, 1 - beta1, beta2, 1 - beta2, step size, 1/√correction2, epsilon. */
    float grad = g[i] + k[0] * w[i];
    float first = k[1] * m[i] + k[2] * grad;
    float second = k[3] * s[i] + k[4] * grad * grad;
    m[i] = first;
    s[i] = second;
    w[i] = w[i] - k[5] * first / (sqrtf(second) * k[6] + k[7]);
}

void xj_adam_update_portable(float *w, const float *g, float *m, float *s, long count, const float *constants) {
    for (long i = 0; i < count; i++) adam_element(w, g, m, s, i, constants);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* Eight lanes with AVX: the compiler's baseline x86-64 gives Swift four (SSE). */
__attribute__((target("avx")))
static void adam_avx(float *w, const float *g, float *m, float *s, long count, const float *k) {
    const __m256 decay = _mm256_set1_ps(k[0]), beta1 = _mm256_set1_ps(k[1]), rest1 = _mm256_set1_ps(k[2]);
    const __m256 beta2 = _mm256_set1_ps(k[3]), rest2 = _mm256_set1_ps(k[4]), step = _mm256_set1_ps(k[5]);
    const __m256 inverse_root = _mm256_set1_ps(k[6]), epsilon = _mm256_set1_ps(k[7]);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 weight = _mm256_loadu_ps(w + i);
        __m256 grad = _mm256_add_ps(_mm256_loadu_ps(g + i), _mm256_mul_ps(decay, weight));
        __m256 first = _mm256_add_ps(_mm256_mul_ps(beta1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(rest1, grad));
        __m256 second = _mm256_add_ps(_mm256_mul_ps(beta2, _mm256_loadu_ps(s + i)), _mm256_mul_ps(_mm256_mul_ps(rest2, grad), grad));
        _mm256_storeu_ps(m + i, first);
        _mm256_storeu_ps(s + i, second);
        __m256 denominator = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(second), inverse_root), epsilon);
        _mm256_storeu_ps(w + i, _mm256_sub_ps(weight, _mm256_div_ps(_mm256_mul_ps(step, first), denominator)));
    }
    for (; i < count; i++) adam_element(w, g, m, s, i, k);
}
#endif

void xj_adam_update(float *w, const float *g, float *m, float *s, long count, const float *constants) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (xj_cpu_has_avx2_fma()) {
        adam_avx(w, g, m, s, count, constants);
        return;
    }
#endif
    xj_adam_update_portable(w, g, m, s, count, constants);
}
