// The two GNU calls ChildProcess needs. Swift's Glibc module does not show them (glibc declares
// them only under _GNU_SOURCE, and defining that here would make this module's system types
// differ from every other module's), so their prototypes are written out.
#ifndef CSPAWN_H
#define CSPAWN_H
#include <fcntl.h>
#include <spawn.h>

int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
int pipe2(int fds[2], int flags);

/// Closes every descriptor from `from` up in the child, at spawn (glibc 2.34).
static inline int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

/// A pipe whose both ends are close-on-exec from the start.
static inline int cspawn_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
#endif
