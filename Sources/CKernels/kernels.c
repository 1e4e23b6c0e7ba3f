#include "CKernels.h"
#include "cpu_features.h"
#include <math.h>

/* The portable version. tanh goes through one expf: glibc's tanhf goes through expm1f, which was 40 %
   of training time; the absolute error stays near Float32's rounding, and ±1 is reached without overflow. */
static inline float sigmoid_scalar(float x) { return 1.0f / (1.0f + expf(-x)); }
static inline float tanh_scalar(float x) { return 1.0f - 2.0f / (expf(2.0f * x) + 1.0f); }

/* One unit of one row: the gates, the cell and the output, by the portable formulas. */
static inline void gate_unit(float *zr, const float *pc, float *c, float *tc, float *h, long hidden, long unit) {
    float i = sigmoid_scalar(zr[unit]);
    float f = sigmoid_scalar(zr[hidden + unit]);
    float g = tanh_scalar(zr[2 * hidden + unit]);
    float o = sigmoid_scalar(zr[3 * hidden + unit]);
    zr[unit] = i;
    zr[hidden + unit] = f;
    zr[2 * hidden + unit] = g;
    zr[3 * hidden + unit] = o;
    float cell = f * pc[unit] + i * g;
    float t = tanh_scalar(cell);
    c[unit] = cell;
    tc[unit] = t;
    h[unit] = o * t;
}

static void gates_portable(float *z, const float *previous_cells, float *cells, float *tanh_cells, float *outputs,
                           long rows, long hidden) {
    for (long row = 0; row < rows; row++) {
        for (long unit = 0; unit < hidden; unit++) {
            gate_unit(z + row * 4 * hidden, previous_cells + row * hidden, cells + row * hidden, tanh_cells + row * hidden,
                      outputs + row * hidden, hidden, unit);
        }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* exp over eight lanes: Cephes' expf (range reduction by ln 2 in two parts, a degree-5 polynomial,
   2^n through the exponent bits), within 2 ulp of expf on [-87, 88]; arguments are clamped so that
   large negative ones give 0 and large positive ones a finite 2^127-scale value, never inf or NaN. */
__attribute__((target("avx2,fma")))
static inline __m256 exp8(__m256 x) {
    x = _mm256_min_ps(x, _mm256_set1_ps(88.3762626647949f));
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    __m256 fx = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f));
    fx = _mm256_floor_ps(fx);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), x);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201e-1f));
    __m256 xx = _mm256_mul_ps(x, x);
    y = _mm256_fmadd_ps(y, xx, x);
    y = _mm256_add_ps(y, _mm256_set1_ps(1.0f));
    __m256i n = _mm256_cvttps_epi32(fx);
    n = _mm256_slli_epi32(_mm256_add_epi32(n, _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(n));
}

__attribute__((target("avx2,fma")))
static inline __m256 sigmoid8(__m256 x) {
    __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_div_ps(one, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

__attribute__((target("avx2,fma")))
static inline __m256 tanh8(__m256 x) {
    __m256 one = _mm256_set1_ps(1.0f), two = _mm256_set1_ps(2.0f);
    return _mm256_sub_ps(one, _mm256_div_ps(two, _mm256_add_ps(exp8(_mm256_mul_ps(two, x)), one)));
}

__attribute__((target("avx2,fma")))
static void gates_avx2(float *z, const float *previous_cells, float *cells, float *tanh_cells, float *outputs,
                       long rows, long hidden) {
    long vectorised = hidden - hidden % 8;
    for (long row = 0; row < rows; row++) {
        float *zr = z + row * 4 * hidden;
        const float *pc = previous_cells + row * hidden;
        float *c = cells + row * hidden, *tc = tanh_cells + row * hidden, *h = outputs + row * hidden;
        for (long unit = 0; unit < vectorised; unit += 8) {
            __m256 i = sigmoid8(_mm256_loadu_ps(zr + unit));
            __m256 f = sigmoid8(_mm256_loadu_ps(zr + hidden + unit));
            __m256 g = tanh8(_mm256_loadu_ps(zr + 2 * hidden + unit));
            __m256 o = sigmoid8(_mm256_loadu_ps(zr + 3 * hidden + unit));
            _mm256_storeu_ps(zr + unit, i);
            _mm256_storeu_ps(zr + hidden + unit, f);
            _mm256_storeu_ps(zr + 2 * hidden + unit, g);
            _mm256_storeu_ps(zr + 3 * hidden + unit, o);
            __m256 cell = _mm256_fmadd_ps(f, _mm256_loadu_ps(pc + unit), _mm256_mul_ps(i, g));
            __m256 t = tanh8(cell);
            _mm256_storeu_ps(c + unit, cell);
            _mm256_storeu_ps(tc + unit, t);
            _mm256_storeu_ps(h + unit, _mm256_mul_ps(o, t));
        }
        /* The last units of a row (hidden not a multiple of 8). */
        for (long unit = vectorised; unit < hidden; unit++) gate_unit(zr, pc, c, tc, h, hidden, unit);
    }
}

/* Decided once; stream groups call from several threads, hence the atomic accesses. */
int xj_cpu_has_avx2_fma(void) {
    static int chosen = -1;
    int value = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        value = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&chosen, value, __ATOMIC_RELAXED);
    }
    return value;
}
static int use_avx2(void) { return xj_cpu_has_avx2_fma(); }
#else
int xj_cpu_has_avx2_fma(void) { return 0; }
static int use_avx2(void) { return 0; }
static void gates_avx2(float *z, const float *previous_cells, float *cells, float *tanh_cells, float *outputs,
                       long rows, long hidden) {
    gates_portable(z, previous_cells, cells, tanh_cells, outputs, rows, hidden);
}
#endif

void xj_lstm_gates(float *z, const float *previous_cells, float *cells, float *tanh_cells, float *outputs,
                   long rows, long hidden) {
    if (use_avx2()) gates_avx2(z, previous_cells, cells, tanh_cells, outputs, rows, hidden);
    else gates_portable(z, previous_cells, cells, tanh_cells, outputs, rows, hidden);
}

void xj_lstm_gates_portable(float *z, const float *previous_cells, float *cells, float *tanh_cells, float *outputs,
                            long rows, long hidden) {
    gates_portable(z, previous_cells, cells, tanh_cells, outputs, rows, hidden);
}

const char *xj_kernels_version(void) { return use_avx2() ? "avx2" : "portable"; }
