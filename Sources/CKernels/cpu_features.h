#ifndef XJ_CPU_FEATURES_H
#define XJ_CPU_FEATURES_H

/* Whether this CPU has AVX2 and FMA: decided once, read from any thread. */
int xj_cpu_has_avx2_fma(void);

#endif
