#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: the pack-window settings xj makes. */
static inline int xj_git_set_pack_windows(size_t window_size, size_t mapped_limit) {
    int status = git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window_size);
    if (status < 0) return status;
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped_limit);
}
