/*
 * A control group per test (cgroup.ts decides where and with what limits): what rlimits cannot bound,
 * the memory of all the test's processes together (tmpfs and shared memory included) and their number.
 *
 * The spec names one directory per hierarchy (v2: one; v1: memory and pids), each with the settings
 * every test's group gets, "file=value" in the order written. The directories are opened before the
 * sandbox exists; groups are made, read and removed through those descriptors, which belong to the
 * host's mount namespace, so the read-only file system of the sandbox does not apply to them. The
 * test's program joins its groups (writes 0 to their cgroup.procs, opened beforehand) before it drops
 * its privileges; whatever it starts is then counted there too.
 */
#include "helper.h"

#define MAX_SETTINGS 8

static struct tree {
  int dir;
  int nsettings;
  char *settings[MAX_SETTINGS];
} trees[MAX_TREES];
static int ntrees;

/* "t<helper pid>": the prefix of this helper's groups (its pid before the sandbox renumbers it). */
static char group_prefix[24];

/* The group of test `index` (a single run is test 0): "t<helper pid>-<index>", as cgroup.ts sweeps them. */
void group_name(char *name, size_t size, int index) {
  snprintf(name, size, "%s-%d", group_prefix, index);
}

/* "DIR\tfile=value\t...", one line per hierarchy; an empty spec: no groups. Before the sandbox exists. */
void parse_cgroups(char *spec) {
  char *lines[MAX_TREES];
  snprintf(group_prefix, sizeof group_prefix, "t%d", (int)getpid());
  ntrees = split_lines(spec, lines, MAX_TREES, "CGROUPS");
  for (int i = 0; i < ntrees; i++) {
    char *save, *field = strtok_r(lines[i], "\t", &save);
    trees[i].dir = open(field, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (trees[i].dir < 0) fail("cgroup %s", field);
    while ((field = strtok_r(NULL, "\t", &save))) {
      if (trees[i].nsettings == MAX_SETTINGS) { errno = E2BIG; fail("more than %d settings for %s in the CGROUPS list", MAX_SETTINGS, lines[i]); }
      trees[i].settings[trees[i].nsettings++] = field;
    }
  }
}

static void write_at(int dir, const char *path, const char *text) {
  int fd = openat(dir, path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) fail("write %s", path);
  close(fd);
}

/* SIGKILL to every process listed in a group's cgroup.procs; how many there were. */
static int kill_members(int dir, const char *name) {
  char path[96];
  snprintf(path, sizeof path, "%s/cgroup.procs", name);
  int fd = openat(dir, path, O_RDONLY | O_CLOEXEC), n = 0, pid;
  FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
  if (!f) return 0;
  while (fscanf(f, "%d", &pid) == 1) {
    kill(pid, SIGKILL);
    n++;
  }
  fclose(f);
  return n;
}

/* Removes a group, first ending whatever still lives in it (what escaped the test's process group). */
static void remove_group(int dir, const char *name) {
  for (int tries = 0; unlinkat(dir, name, AT_REMOVEDIR) != 0 && errno == EBUSY && tries < 400; tries++) {
    kill_members(dir, name);
    struct timespec pause = {0, 5000000};
    nanosleep(&pause, NULL);
  }
}

void remove_cgroups(const char *name) {
  for (int i = 0; i < ntrees; i++) remove_group(trees[i].dir, name);
}

/* The test's groups, made with their limits; procs[i] receives the cgroup.procs of hierarchy i. */
void make_cgroups(const char *name, int *procs) {
  char path[160];
  for (int i = 0; i < ntrees; i++) {
    if (mkdirat(trees[i].dir, name, 0755) != 0) {
      if (errno != EEXIST) fail("cgroup %s", name);
      remove_group(trees[i].dir, name); /* left by a killed helper that had this pid */
      if (mkdirat(trees[i].dir, name, 0755) != 0) fail("cgroup %s", name);
    }
    for (int s = 0; s < trees[i].nsettings; s++) {
      char *eq = strchr(trees[i].settings[s], '=');
      if (!eq) { errno = EINVAL; fail("cgroup setting %s", trees[i].settings[s]); }
      snprintf(path, sizeof path, "%s/%.*s", name, (int)(eq - trees[i].settings[s]), trees[i].settings[s]);
      write_at(trees[i].dir, path, eq + 1);
    }
    snprintf(path, sizeof path, "%s/cgroup.procs", name);
    procs[i] = openat(trees[i].dir, path, O_WRONLY | O_CLOEXEC);
    if (procs[i] < 0) fail("open %s", path);
  }
}

/* In the test's process, before it gives up its privileges. */
void join_cgroups(const int *procs) {
  for (int i = 0; i < ntrees; i++)
    if (write(procs[i], "0", 1) != 1) fail("join cgroup");
}

void close_cgroups(int *procs) {
  for (int i = 0; i < ntrees; i++) close(procs[i]);
}

/* Whether the kernel's OOM killer ended a process of the group (v2 memory.events, v1 memory.oom_control). */
int oom_killed(const char *name) {
  static const char *files[] = {"memory.events", "memory.oom_control"};
  char path[128], key[32];
  long long value;
  for (int i = 0; i < ntrees; i++) {
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
      snprintf(path, sizeof path, "%s/%s", name, files[f]);
      int fd = openat(trees[i].dir, path, O_RDONLY | O_CLOEXEC);
      FILE *in = fd < 0 ? NULL : fdopen(fd, "re");
      if (!in) continue;
      int killed = 0;
      while (fscanf(in, "%31s %lld", key, &value) == 2)
        if (strcmp(key, "oom_kill") == 0 && value > 0) killed = 1;
      fclose(in);
      if (killed) return 1;
    }
  }
  return 0;
}
