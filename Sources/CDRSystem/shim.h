#ifndef CDRSYSTEM_SHIM_H
#define CDRSYSTEM_SHIM_H
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

// GNU extensions that Swift's Glibc module does not declare (it is built without
// _GNU_SOURCE). Both exist in glibc since 2.9 / Linux 2.6.35.
extern int pipe2(int pipefd[2], int flags);

// The first occurrence of `needle` in `haystack`, or NULL (glibc since 2.0).
extern void *memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

// Creates a pipe whose two ends are close-on-exec, atomically, so a child spawned by
// another thread at the same moment cannot inherit them.
static inline int cdr_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

// Hands `length` bytes at `base` to pipe `fd` by reference, not by copy (SPLICE_F_NONBLOCK
// = 2): the reader copies them straight from the caller's pages, which must stay as they
// are until it has read them. -1 with errno as write(2) sets it.
extern ssize_t vmsplice(int fd, const struct iovec *iov, size_t count, unsigned int flags);

static inline ssize_t cdr_vmsplice(int fd, const void *base, size_t length) {
  struct iovec vector = { (void *)base, length };
  return vmsplice(fd, &vector, 1, 2);
}

// The soft limit on open descriptors (RLIMIT_NOFILE), at most 1 << 20 (no limit counts as
// that), 1024 when it cannot be read.
static inline long cdr_open_file_limit(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  return limit.rlim_cur > (1 << 20) ? (1 << 20) : (long)limit.rlim_cur;
}

// F_SETPIPE_SZ: a larger pipe means fewer wake-ups at high throughput.
static inline int cdr_set_pipe_size(int fd, int size) { return fcntl(fd, 1031, size); }

// Linux 5.3+: a descriptor of child `pid` that poll() reports readable the moment it
// exits, so a waiter wakes then rather than at its next timed look. -1 where the kernel
// lacks it or a seccomp filter refuses it: the caller then looks at short intervals.
static inline int cdr_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
  return (int)syscall(SYS_pidfd_open, pid, 0);
#else
  errno = ENOSYS;
  return -1;
#endif
}

// dr moves megabyte buffers between threads (chunks, parts). glibc's dynamic mmap
// threshold then serves them from per-thread arenas, which keep freed memory: RSS grew
// to 3-4 times the buffers in use. A fixed threshold keeps them mmapped and returned to
// the system when freed.
static inline void cdr_tune_malloc(int mmap_threshold, int arena_max) {
  mallopt(M_MMAP_THRESHOLD, mmap_threshold);
  if (arena_max > 0) mallopt(M_ARENA_MAX, arena_max);
}

// glibc 2.34+: close every descriptor from `from` up in the child, so it inherits only
// stdin, stdout and stderr whatever other threads have open.
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

// glibc 2.29+: the child starts in `directory`.
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *directory);

static inline int cdr_spawn_chdir(posix_spawn_file_actions_t *actions, const char *directory) {
  return posix_spawn_file_actions_addchdir_np(actions, directory);
}

static inline int cdr_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
  return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

// Spawn attributes for a child dr manages: its own process group (a Ctrl-C at the
// terminal reaches dr, which stops its children in order), no blocked signals, and
// default handlers for the signals dr handles itself.
static inline int cdr_spawn_attributes(posix_spawnattr_t *attributes) {
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGHUP);
  sigaddset(&defaults, SIGPIPE);
  int rc = posix_spawnattr_setsigmask(attributes, &none);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(attributes, &defaults);
  if (rc == 0) rc = posix_spawnattr_setpgroup(attributes, 0);
  if (rc == 0) rc = posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  return rc;
}

// Linux 2.6.17+, declared only under _GNU_SOURCE: starts writing a file range back to disk
// without waiting (SYNC_FILE_RANGE_WRITE = 2), so a later fsync has little left to do.
extern int sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags);

static inline int cdr_start_writeback(int fd, long long offset, long long length) {
  return sync_file_range(fd, offset, length, 2);
}

#ifndef POSIX_SPAWN_SETSID
#define POSIX_SPAWN_SETSID 0x80  // glibc 2.26+, declared only under _GNU_SOURCE
#endif

// A daemon: a session of its own (it outlives dr and no terminal signal reaches it), no
// blocked signals, default handlers.
static inline int cdr_spawn_daemon_attributes(posix_spawnattr_t *attributes) {
  int rc = cdr_spawn_attributes(attributes);
  if (rc == 0) rc = posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
  return rc;
}
#endif
