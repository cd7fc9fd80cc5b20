/*
 * C shared by the helper's two modes (see README.md): error reporting, user namespaces, the
 * read-only file system with hidden homes, rlimits, and `enter_sandbox`, which builds the whole
 * namespace sandbox and returns in its PID 1.
 */
#include "helper.h"

void fail(const char *fmt, ...) {
  int e = errno;
  va_list ap;
  va_start(ap, fmt);
  fputs(TAG " ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, ": %s\n", strerror(e));
  _exit(SETUP_FAILED);
}

void write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) fail("write %s", path);
  close(fd);
}

/* Maps root of the user namespace this process just entered to uid/gid of the one it came from. */
static void map_root_to(uid_t uid, gid_t gid) {
  char map[64];
  write_file("/proc/self/setgroups", "deny");
  snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
  write_file("/proc/self/uid_map", map);
  snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
  write_file("/proc/self/gid_map", map);
}

/* Like unshare(1): mounts in a new mount namespace no longer propagate back to the parent's. */
void make_mounts_private(void) {
  if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail("make / private");
}

/* Root of a new user namespace: the caller's uid and gid mapped to 0 (unshare --map-root-user). */
void enter_user_ns(int flags) {
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (unshare(CLONE_NEWUSER | flags) != 0) fail("unshare");
  map_root_to(uid, gid);
  if (flags & CLONE_NEWNS) make_mounts_private();
}

/* Waits for pid, reaping any other child on the way; returns its raw wait status and usage. */
int wait_for(pid_t pid, struct rusage *ru) {
  int status;
  for (;;) {
    pid_t p = wait4(-1, &status, 0, ru);
    if (p < 0 && errno == EINTR) continue;
    if (p < 0) fail("wait");
    if (p == pid) return status;
  }
}

/* A wait status as a shell's $?: 128+N when signal N killed the process. */
int shell_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int starts_with_dir(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The MS_ flags a read-only remount of a mount must keep (a remount may not clear them). */
static unsigned long kept_flags_of(char *opts) {
  static const struct { const char *name; unsigned long flag; } kept[] = {
    {"nosuid", MS_NOSUID}, {"nodev", MS_NODEV}, {"noexec", MS_NOEXEC}, {"noatime", MS_NOATIME},
    {"nodiratime", MS_NODIRATIME}, {"relatime", MS_RELATIME}, {"strictatime", MS_STRICTATIME},
  };
  unsigned long flags = 0;
  char *save, *o;
  for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save))
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
      if (strcmp(o, kept[i].name) == 0) flags |= kept[i].flag;
  return flags;
}

/* Every mount outside /proc, /dev and cwd read-only (/sys included: its knobs are the host's). */
void remount_read_only(const char *cwd) {
  FILE *f = fopen("/proc/self/mounts", "re");
  if (!f) fail("read /proc/self/mounts");
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    char *save, *mp, *opts;
    if (!strtok_r(line, " ", &save) || !(mp = strtok_r(NULL, " ", &save)) || !strtok_r(NULL, " ", &save)
        || !(opts = strtok_r(NULL, " ", &save))) continue;
    /* Escaped characters (a space is \040): the path is not the mount point as written; skipped. */
    if (strcmp(mp, cwd) == 0 || strchr(mp, '\\') || starts_with_dir(mp, "/proc")
        || starts_with_dir(mp, "/dev")) continue;
    if (mount(NULL, mp, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | kept_flags_of(opts), NULL) != 0) fail("read-only %s", mp);
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

/* Splits a newline-separated list in place; returns the count. More than max entries is a set-up
   failure that names the list (`what`), never a list silently cut short. */
int split_lines(char *s, char **out, int max, const char *what) {
  int n = 0;
  char *save, *t;
  for (t = strtok_r(s, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
    if (n == max) { errno = E2BIG; fail("more than %d entries in the %s list", max, what); }
    out[n++] = t;
  }
  return n;
}

/* Homes and the private temporary folders covered by an empty tmpfs (writable by anyone, like /tmp);
   the toolchains and the judge's folder in them parked on a scratch tmpfs and put back. */
void hide_homes(char *hide_list, char *keep_list) {
  /* The scratch lies over /dev, never a hidden folder (cwd may be in one); /dev is replaced later anyway. */
  const char *scratch = "/dev";
  char *hide[MAX_HIDE], *keep[MAX_KEEP], slot[4096];
  int nh = split_lines(hide_list, hide, MAX_HIDE, "HIDE"), nk = split_lines(keep_list, keep, MAX_KEEP, "KEEP");
  if (nk > 0 && mount("mcl-scratch", scratch, "tmpfs", 0, "size=64k") != 0) fail("scratch tmpfs");
  for (int i = 0; i < nk; i++) {
    snprintf(slot, sizeof slot, "%s/%d", scratch, i + 1);
    if (mkdir(slot, 0755) != 0 || mount(keep[i], slot, NULL, MS_BIND | MS_REC, NULL) != 0) fail("park %s", keep[i]);
  }
  for (int i = 0; i < nh; i++)
    if (mount("mcl-hidden", hide[i], "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777") != 0) fail("hide %s", hide[i]);
  for (int i = 0; i < nk; i++) {
    snprintf(slot, sizeof slot, "%s/%d", scratch, i + 1);
    if (mkdir_p(keep[i]) != 0 || mount(slot, keep[i], NULL, MS_MOVE, NULL) != 0) fail("restore %s", keep[i]);
  }
  if (nk > 0 && umount2(scratch, 0) != 0) fail("scratch umount");
}

/* "cpu=3:4,as=N:N" applied with setrlimit (parses a copy: the spec is reused for every test). */
void apply_rlimits(const char *spec) {
  static const struct { const char *name; int resource; } names[] = {
    {"cpu", RLIMIT_CPU}, {"fsize", RLIMIT_FSIZE}, {"nofile", RLIMIT_NOFILE}, {"core", RLIMIT_CORE},
    {"nproc", RLIMIT_NPROC}, {"as", RLIMIT_AS}, {"stack", RLIMIT_STACK},
  };
  char copy[1024], *save, *item;
  snprintf(copy, sizeof copy, "%s", spec);
  for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
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
