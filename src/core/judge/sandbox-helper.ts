import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The namespace sandbox of sandbox.ts in one process: the same steps as its shell script, done with
 * system calls instead of ~20 `mount` processes and three `unshare`s (~75 ms down to a few per run).
 *
 * usage: helper CWD HIDE KEEP RLIMITS PROGRAM [ARG...]
 *   HIDE, KEEP: paths, one a line. RLIMITS: "resource=soft:hard" items, comma-separated, set in the
 *   program's process just before exec (what prlimit does), e.g. "cpu=3:4,as=301989888:301989888".
 * Exit: the program's status, 128+N when signal N killed it; 125 with a tagged stderr line when the
 * sandbox could not be set up; 127 when the program could not be executed.
 */
export const HELPER_SOURCE = String.raw`#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SETUP_FAILED 125
#define TAG "mapcoder-lite sandbox:"

static void fail(const char *fmt, ...) {
  int e = errno;
  va_list ap;
  va_start(ap, fmt);
  fputs(TAG " ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, ": %s\n", strerror(e));
  _exit(SETUP_FAILED);
}

static void write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) fail("write %s", path);
  close(fd);
}

/* Root of a new user namespace: the caller's uid and gid mapped to 0 (unshare --map-root-user). */
static void enter_user_ns(int flags) {
  uid_t uid = getuid();
  gid_t gid = getgid();
  char map[64];
  if (unshare(CLONE_NEWUSER | flags) != 0) fail("unshare");
  write_file("/proc/self/setgroups", "deny");
  snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
  write_file("/proc/self/uid_map", map);
  snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
  write_file("/proc/self/gid_map", map);
  /* Like unshare(1): mounts in the new namespace no longer propagate back to the parent's. */
  if ((flags & CLONE_NEWNS) && mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail("make / private");
}

/* Waits for pid, reaping any other child on the way; returns its status as a shell would ($?). */
static int wait_for(pid_t pid) {
  int status;
  for (;;) {
    pid_t p = waitpid(-1, &status, 0);
    if (p < 0 && errno == EINTR) continue;
    if (p < 0) fail("wait");
    if (p != pid) continue;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
}

static int starts_with_dir(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Every mount outside /proc, /sys, /dev and cwd read-only, keeping the flags a remount may not clear. */
static void remount_read_only(const char *cwd) {
  static const struct { const char *name; unsigned long flag; } kept[] = {
    {"nosuid", MS_NOSUID}, {"nodev", MS_NODEV}, {"noexec", MS_NOEXEC}, {"noatime", MS_NOATIME},
    {"nodiratime", MS_NODIRATIME}, {"relatime", MS_RELATIME}, {"strictatime", MS_STRICTATIME},
  };
  FILE *f = fopen("/proc/self/mounts", "re");
  if (!f) fail("read /proc/self/mounts");
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    char *save, *mp, *opts;
    if (!strtok_r(line, " ", &save) || !(mp = strtok_r(NULL, " ", &save)) || !strtok_r(NULL, " ", &save)
        || !(opts = strtok_r(NULL, " ", &save))) continue;
    /* Escaped characters (a space is \040): the path is not the mount point as written; skipped. */
    if (strcmp(mp, cwd) == 0 || strchr(mp, '\\') || starts_with_dir(mp, "/proc") || starts_with_dir(mp, "/sys")
        || starts_with_dir(mp, "/dev")) continue;
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
    char *osave, *o;
    for (o = strtok_r(opts, ",", &osave); o; o = strtok_r(NULL, ",", &osave))
      for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (strcmp(o, kept[i].name) == 0) flags |= kept[i].flag;
    if (mount(NULL, mp, NULL, flags, NULL) != 0) fail("read-only %s", mp);
  }
  free(line);
  fclose(f);
}

static int mkdir_p(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int r = mkdir(path, 0755);
    *p = '/';
    if (r != 0 && errno != EEXIST) return -1;
  }
  return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* Splits a newline-separated list in place; returns the count (at most max). */
static int split_lines(char *s, char **out, int max) {
  int n = 0;
  char *save, *t;
  for (t = strtok_r(s, "\n", &save); t && n < max; t = strtok_r(NULL, "\n", &save)) out[n++] = t;
  return n;
}

/* Homes covered by an empty tmpfs; the toolchains in them parked on a scratch tmpfs and put back. */
static void hide_homes(const char *cwd, char *hide_list, char *keep_list) {
  char *hide[64], *keep[256], slot[4096];
  int nh = split_lines(hide_list, hide, 64), nk = split_lines(keep_list, keep, 256);
  if (nk > 0 && mount("mcl-scratch", cwd, "tmpfs", 0, "size=64k") != 0) fail("scratch tmpfs");
  for (int i = 0; i < nk; i++) {
    snprintf(slot, sizeof slot, "%s/%d", cwd, i + 1);
    if (mkdir(slot, 0755) != 0 || mount(keep[i], slot, NULL, MS_BIND | MS_REC, NULL) != 0) fail("park %s", keep[i]);
  }
  for (int i = 0; i < nh; i++)
    if (mount("mcl-hidden", hide[i], "tmpfs", 0, "size=64k,mode=755") != 0) fail("hide %s", hide[i]);
  for (int i = 0; i < nk; i++) {
    snprintf(slot, sizeof slot, "%s/%d", cwd, i + 1);
    if (mkdir_p(keep[i]) != 0 || mount(slot, keep[i], NULL, MS_MOVE, NULL) != 0) fail("restore %s", keep[i]);
  }
  if (nk > 0 && umount2(cwd, 0) != 0) fail("scratch umount");
}

/* "cpu=3:4,as=N:N" applied with setrlimit. */
static void apply_rlimits(char *spec) {
  static const struct { const char *name; int resource; } names[] = {
    {"cpu", RLIMIT_CPU}, {"fsize", RLIMIT_FSIZE}, {"nofile", RLIMIT_NOFILE}, {"core", RLIMIT_CORE},
    {"nproc", RLIMIT_NPROC}, {"as", RLIMIT_AS}, {"stack", RLIMIT_STACK},
  };
  char *save, *item;
  for (item = strtok_r(spec, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
    char name[16];
    unsigned long long soft, hard;
    if (sscanf(item, "%15[a-z]=%llu:%llu", name, &soft, &hard) != 3) { errno = EINVAL; fail("rlimit %s", item); }
    size_t i = 0;
    while (i < sizeof names / sizeof names[0] && strcmp(names[i].name, name) != 0) i++;
    if (i == sizeof names / sizeof names[0]) { errno = EINVAL; fail("rlimit %s", item); }
    struct rlimit r = {soft, hard};
    if (setrlimit(names[i].resource, &r) != 0) fail("rlimit %s", item);
  }
}

int main(int argc, char **argv) {
  if (argc < 6) { errno = EINVAL; fail("usage: CWD HIDE KEEP RLIMITS PROGRAM [ARG...]"); }
  const char *cwd = argv[1];
  char *hide = argv[2], *keep = argv[3], *limits = argv[4];
  char **program = argv + 5;

  enter_user_ns(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS);
  /* The child reads EOF here once the parent is gone: the check for a parent that died before prctl. */
  int alive[2];
  if (pipe2(alive, O_CLOEXEC) != 0) fail("pipe");
  pid_t init = fork();
  if (init < 0) fail("fork");
  if (init > 0) {
    /* Mirrors PID 1: its exit status, or its death by a signal. */
    int status;
    close(alive[0]);
    while (waitpid(init, &status, 0) < 0)
      if (errno != EINTR) fail("wait");
    if (WIFSIGNALED(status)) {
      signal(WTERMSIG(status), SIG_DFL);
      kill(getpid(), WTERMSIG(status));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /* PID 1 of the new namespaces; dies with the process above (unshare --kill-child). */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("pdeathsig");
  close(alive[1]);
  struct pollfd parent = {alive[0], POLLIN, 0};
  if (poll(&parent, 1, 0) != 0) _exit(SETUP_FAILED);
  close(alive[0]);
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail("mount /proc");
  if (mount(cwd, cwd, NULL, MS_BIND, NULL) != 0) fail("bind %s", cwd);
  remount_read_only(cwd);
  hide_homes(cwd, hide, keep);
  struct stat st;
  if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)
      && mount("mcl-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m") != 0) fail("/dev/shm");
  if (chdir(cwd) != 0) fail("cd %s", cwd);

  /* The program: a child in a further user + mount namespace, where all the mounts above are locked. */
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    enter_user_ns(CLONE_NEWNS);
    apply_rlimits(limits);
    execvp(program[0], program);
    fprintf(stderr, TAG " failed to execute %s: %s\n", program[0], strerror(errno));
    _exit(127);
  }
  return wait_for(pid);
}
`;

/**
 * The helper built from HELPER_SOURCE with `cc`, once per source version, into `dir` (created 0700).
 * Undefined when there is no C compiler or the build fails. A binary found there is used only when the
 * directory and the file are ours and writable by no one else (a shared /tmp).
 */
export function buildHelper(dir: string): string | undefined {
  const exe = join(dir, `sandbox-helper-${createHash('sha256').update(HELPER_SOURCE).digest('hex').slice(0, 16)}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(dir)) return undefined;
    if (ownedAndPrivate(exe)) return exe;
  } catch {
    // not built yet (or the directory is unusable: then the build below fails too)
  }
  const tmp = `${exe}.${process.pid}.tmp`;
  try {
    // Static when the C library allows it: no dynamic loading on every run (~0.4 ms).
    const cc = (...flags: string[]) => spawnSync('cc', ['-O2', ...flags, '-o', tmp, '-x', 'c', '-'], { input: HELPER_SOURCE, stdio: ['pipe', 'ignore', 'ignore'], timeout: 60_000 }).status === 0;
    if (!cc('-static') && !cc()) return undefined;
    chmodSync(tmp, 0o700);
    renameSync(tmp, exe);
    return exe;
  } catch {
    return undefined;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function ownedAndPrivate(path: string): boolean {
  const s = lstatSync(path);
  return (s.isDirectory() || s.isFile()) && s.uid === process.getuid?.() && (s.mode & 0o022) === 0;
}
