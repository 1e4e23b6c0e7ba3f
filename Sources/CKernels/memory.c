#include "CKernels.h"

#if defined(__linux__) && __has_include(<malloc.h>)
#include <malloc.h>
#endif

void xj_keep_freed_memory(void) {
#if defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
    /* Keep up to 1 GiB freed at the heap's top instead of returning it to the kernel, and serve blocks
       up to glibc's largest mmap threshold (32 MiB) from the heap instead of mapping and unmapping. */
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}
