/*
 * The helper's batch mode: every test of one program from one process, so the judge pays one spawn
 * per judge instead of one per test (see README.md for the usage and the stream formats).
 * Inputs come in on stdin, each handed to its test as a memory file; outputs go back on stdout. No
 * file is written for a test but what the program writes itself.
 *
 * Isolated, the batch builds the sandbox once (enter_sandbox) and gives each test a PID namespace of
 * its own, whose PID 1 (created by clone) bind-mounts the test's directory writable, remounts the
 * batch directory read-only (no test can touch another's output), starts the program contained
 * (contain_program: its own id under root, a further user namespace, no capabilities, seccomp) and
 * records its status in shared memory. Killing that
 * PID 1 ends everything the test started. Not isolated, each test is a process group of its own, and
 * the batch, as their subreaper, ends what left its group (setsid) by the time the batch ends. Where
 * cgroup.c has hierarchies, each test also gets control groups of its own, which its program joins.
 */
#include "helper.h"

#define LINGER_NS 500000000LL
/* The batch's tmpfs; a test remounts it read-only with the same flags (a remount may not clear them). */
#define BATCH_TMPFS_FLAGS (MS_NOSUID | MS_NODEV)

/* Written by a test's PID 1, read by the batch after reaping it. */
struct outcome {
  int done;
  /* The test's PID 1 killed the program at the wall-clock limit (its CPU time is then still measured). */
  int timed_out;
  int status;
  long long end_ns;
  struct rusage ru;
};

struct test {
  int index;
  pid_t pid; /* 0: slot free */
  int out, err;
  size_t outlen, errlen;
  char *head, *ring;
  long long start_ns, deadline_ns, linger_ns;
  int reaped, status, timed_out, out_cap;
  struct rusage ru;
};

struct batch {
  int isolate;
  const char *cwd, *rlimits;
  char **program;
  long long wall_ns;
  size_t cap;
  struct outcome *outcomes;
  char **inputs;
  size_t *input_lens;
};

struct launch {
  struct batch *b;
  int index, in, out, err;
  int procs[MAX_TREES];
  char dir[4096];
};

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail("write");
    p += w;
    n -= (size_t)w;
  }
}

/* All of stdin: for each test, its input's length in bytes in decimal, a newline, then the bytes. */
static void read_inputs(struct batch *b, int n) {
  size_t size = 0, cap = 1 << 16;
  char *all = malloc(cap);
  for (;;) {
    if (!all) fail("malloc");
    if (size == cap) all = realloc(all, cap *= 2);
    if (!all) fail("malloc");
    ssize_t r = read(0, all + size, cap - size);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) fail("read inputs");
    if (r == 0) break;
    size += (size_t)r;
  }
  b->inputs = calloc((size_t)n + 1, sizeof *b->inputs);
  b->input_lens = calloc((size_t)n + 1, sizeof *b->input_lens);
  if (!b->inputs || !b->input_lens) fail("calloc");
  size_t at = 0;
  for (int i = 0; i < n; i++) {
    char *end;
    unsigned long long len = strtoull(all + at, &end, 10);
    if (at >= size || end == all + at || *end != '\n' || len > size - (size_t)(end + 1 - all)) { errno = EINVAL; fail("input %d", i); }
    b->inputs[i] = end + 1;
    b->input_lens[i] = (size_t)len;
    at = (size_t)(end + 1 - all) + (size_t)len;
  }
}

/* A test's stdin: a memory file holding its input, read from the start (seekable, like a file). */
static int input_file(struct batch *b, int index) {
  int fd = memfd_create("mcl-stdin", MFD_CLOEXEC);
  if (fd < 0) fail("memfd_create");
  write_all(fd, b->inputs[index], b->input_lens[index]);
  if (lseek(fd, 0, SEEK_SET) != 0) fail("lseek");
  return fd;
}

/* HOME or TMPDIR set to the batch directory (read-only to tests) is moved to the test's own. */
static void point_at_test_dir(const char *name, struct launch *l) {
  const char *v = getenv(name);
  if (v && strcmp(v, l->b->cwd) == 0 && setenv(name, l->dir, 1) != 0) fail("setenv");
}

/* The test's process from its stdio to exec. stderr first, so set-up failures land in the test's. */
static void exec_program(struct launch *l) {
  if (dup2(l->err, 2) < 0 || dup2(l->in, 0) < 0 || dup2(l->out, 1) < 0) _exit(SETUP_FAILED);
  point_at_test_dir("HOME", l);
  point_at_test_dir("TMPDIR", l);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  join_cgroups(l->procs);
  if (l->b->isolate) contain_program(l->b->rlimits);
  else apply_rlimits(l->b->rlimits);
  execvp(l->b->program[0], l->b->program);
  fprintf(stderr, TAG " failed to execute %s: %s\n", l->b->program[0], strerror(errno));
  _exit(127);
}

/* The program of the test whose PID 1 this process is; killed there at the wall-clock limit. */
static pid_t test_program;
static volatile sig_atomic_t wall_passed;

static void on_wall_clock(int sig) {
  (void)sig;
  wall_passed = 1;
  if (test_program > 0) kill(test_program, SIGKILL);
}

/* PID 1 of a test's namespaces (started by clone). It enforces the wall clock itself, so that it still
   reaps the killed program and its CPU time is measured (a kill from outside would lose it). */
static int test_init(void *arg) {
  struct launch *l = arg;
  if (dup2(l->err, 2) < 0) _exit(SETUP_FAILED);
  make_mounts_private();
  mount_proc();
  if (mount(l->dir, l->dir, NULL, MS_BIND, NULL) != 0) fail("bind %s", l->dir);
  if (mount(NULL, l->b->cwd, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | BATCH_TMPFS_FLAGS, NULL) != 0) fail("read-only %s", l->b->cwd);
  if (chdir(l->dir) != 0) fail("cd %s", l->dir);
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) exec_program(l);
  close(l->in);
  close(l->out);
  test_program = pid;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_wall_clock;
  if (sigaction(SIGALRM, &sa, NULL) != 0) fail("sigaction");
  long long wall_us = l->b->wall_ns / 1000;
  struct itimerval wall = {{0, 0}, {wall_us / 1000000, wall_us % 1000000}};
  if (setitimer(ITIMER_REAL, &wall, NULL) != 0) fail("setitimer");
  struct rusage ru;
  int status = wait_for(pid, &ru);
  struct outcome *o = &l->b->outcomes[l->index];
  o->timed_out = wall_passed;
  o->status = status;
  o->ru = ru;
  o->end_ns = now_ns();
  o->done = 1;
  return 0;
}

static void kill_test(struct batch *b, struct test *t) {
  kill(b->isolate ? t->pid : -t->pid, SIGKILL);
}

static void start_test(struct batch *b, struct test *t, int index) {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  int out[2], err[2];
  struct launch l = {b, index, -1, -1, -1, {0}, ""};
  char group[48];
  group_name(group, sizeof group, index);
  make_cgroups(group, l.procs);
  snprintf(l.dir, sizeof l.dir, "%s/%d", b->cwd, index);
  l.in = input_file(b, index);
  if (mkdir(l.dir, 0755) != 0) fail("mkdir %s", l.dir);
  if (b->isolate) give_to_program(l.dir);
  if (!(t->head = malloc(b->cap)) || !(t->ring = malloc(b->cap))) fail("malloc");
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) fail("pipe");
  l.out = out[1];
  l.err = err[1];
  t->start_ns = now_ns();
  if (b->isolate) {
    t->pid = clone(test_init, stack + sizeof stack, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | SIGCHLD, &l);
    if (t->pid < 0) fail("clone");
  } else {
    t->pid = fork();
    if (t->pid < 0) fail("fork");
    if (t->pid == 0) {
      setpgid(0, 0);
      if (chdir(l.dir) != 0) fail("cd %s", l.dir);
      exec_program(&l);
    }
    setpgid(t->pid, t->pid); /* also here: a kill right after fork must reach the new group */
    dprintf(1, "start %d %d\n", index, (int)t->pid);
  }
  close(l.in);
  close(out[1]);
  close(err[1]);
  close_cgroups(l.procs);
  t->index = index;
  t->out = out[0];
  t->err = err[0];
  t->outlen = t->errlen = 0;
  /* Isolated, the test's PID 1 stops the program at the limit; this deadline is the backstop. */
  t->deadline_ns = t->start_ns + b->wall_ns + (b->isolate ? LINGER_NS : 0);
  t->reaped = t->timed_out = t->out_cap = 0;
  memset(&t->ru, 0, sizeof t->ru);
}

/* What a pipe has (0 when interrupted); at its end it is closed and *fd set to -1. */
static ssize_t read_pipe(int *fd, char *buf, size_t size) {
  ssize_t r = read(*fd, buf, size);
  if (r < 0 && errno == EINTR) return 0;
  if (r <= 0) {
    close(*fd);
    *fd = -1;
    return 0;
  }
  return r;
}

/* stdout: the first cap bytes; one byte more and the test is killed. */
static void read_out(struct batch *b, struct test *t) {
  char buf[65536];
  ssize_t r = read_pipe(&t->out, buf, sizeof buf);
  if (r <= 0) return;
  size_t room = b->cap - t->outlen, keep = (size_t)r < room ? (size_t)r : room;
  memcpy(t->head + t->outlen, buf, keep);
  t->outlen += keep;
  if ((size_t)r > room) {
    t->out_cap = 1;
    kill_test(b, t);
    close(t->out);
    t->out = -1;
  }
}

/* stderr: the last cap bytes, in a ring. */
static void read_err(struct batch *b, struct test *t) {
  char buf[65536];
  ssize_t r = read_pipe(&t->err, buf, sizeof buf);
  if (r <= 0) return;
  for (ssize_t i = 0; i < r;) {
    size_t at = t->errlen % b->cap, n = b->cap - at;
    if (n > (size_t)(r - i)) n = (size_t)(r - i);
    memcpy(t->ring + at, buf + i, n);
    t->errlen += n;
    i += (ssize_t)n;
  }
}

static void reaped(struct batch *b, struct test *t, int status, struct rusage *ru) {
  struct outcome *o = &b->outcomes[t->index];
  t->reaped = 1;
  t->linger_ns = now_ns() + LINGER_NS;
  if (!b->isolate) {
    kill(-t->pid, SIGKILL); /* what the program left in its group */
    o->status = status;
    o->ru = *ru;
    o->end_ns = now_ns();
    o->done = 1;
  } else if (!o->done) {
    /* PID 1 died before the program ended: killed (time, output), or its set-up failed (125). */
    o->status = status;
    o->end_ns = now_ns();
  }
}

/* On stdout: "done INDEX EXIT SIGNAL WALL_US CPU_US MAXRSS_KB FLAGS OUT_BYTES ERR_BYTES", a newline,
   then stdout's bytes and stderr's. The test's control groups are read and removed. */
static void finish(struct batch *b, struct test *t) {
  char flags[8], group[48];
  int n = 0;
  struct outcome *o = &b->outcomes[t->index];
  group_name(group, sizeof group, t->index);
  if (oom_killed(group)) flags[n++] = 'M';
  remove_cgroups(group);
  int setup = b->isolate && !o->done && WIFEXITED(o->status) && WEXITSTATUS(o->status) == SETUP_FAILED;
  if (t->timed_out || o->timed_out) flags[n++] = 'T';
  if (t->out_cap) flags[n++] = 'O';
  if (t->errlen > b->cap) flags[n++] = 'E';
  if (setup) flags[n++] = 'S';
  if (n == 0) flags[n++] = '-';
  flags[n] = '\0';
  int code = WIFEXITED(o->status) ? WEXITSTATUS(o->status) : -1, sig = WIFSIGNALED(o->status) ? WTERMSIG(o->status) : 0;
  long long cpu = (o->ru.ru_utime.tv_sec + o->ru.ru_stime.tv_sec) * 1000000LL + o->ru.ru_utime.tv_usec + o->ru.ru_stime.tv_usec;
  size_t errkept = t->errlen < b->cap ? t->errlen : b->cap, at = t->errlen % b->cap;
  dprintf(1, "done %d %d %d %lld %lld %ld %s %zu %zu\n", t->index, code, sig, (o->end_ns - t->start_ns) / 1000, cpu,
    o->ru.ru_maxrss, flags, t->outlen, errkept);
  write_all(1, t->head, t->outlen);
  if (t->errlen <= b->cap) {
    write_all(1, t->ring, t->errlen);
  } else {
    write_all(1, t->ring + at, b->cap - at);
    write_all(1, t->ring, at);
  }
  free(t->head);
  free(t->ring);
  t->head = t->ring = NULL;
  t->pid = 0;
}

/*
 * Not isolated, the batch is the subreaper of its tests: a process that left its test's group (setsid)
 * and outlived its parent was handed to the batch. Kills what is left that way until nothing is.
 * (Without /proc/PID/task/TID/children, CONFIG_PROC_CHILDREN, such a process survives the batch.)
 */
static void end_leftovers(void) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
  for (;;) {
    FILE *f = fopen(path, "re");
    if (!f) return;
    pid_t pids[256];
    int n = 0, pid;
    while (n < 256 && fscanf(f, "%d", &pid) == 1) kill(pids[n++] = pid, SIGKILL);
    fclose(f);
    if (n == 0) return;
    /* Their own children come to the batch as they die: the next round finds those. */
    for (int i = 0; i < n; i++)
      while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {}
  }
}

/* Kills every running test and waits until each is gone; the exit status of a process ended by SIGTERM. */
static int abort_tests(struct batch *b, struct test *tests, int parallel) {
  for (int s = 0; s < parallel; s++) {
    struct test *t = &tests[s];
    if (t->pid == 0 || t->reaped) continue;
    kill_test(b, t);
    while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR) {}
    if (!b->isolate) kill(-t->pid, SIGKILL);
    char group[48];
    group_name(group, sizeof group, t->index);
    remove_cgroups(group);
  }
  if (!b->isolate) end_leftovers();
  return 128 + SIGTERM;
}

int run_batch(int argc, char **argv) {
  if (argc < 11) { errno = EINVAL; fail("usage: --batch ISOLATE CWD HIDE KEEP RLIMITS CGROUPS PARALLEL WALL_MS CAP N PROGRAM [ARG...]"); }
  struct batch b = {0};
  b.isolate = atoi(argv[0]);
  b.cwd = argv[1];
  b.rlimits = argv[4];
  parse_cgroups(argv[5]);
  int parallel = atoi(argv[6]), n = atoi(argv[9]);
  b.wall_ns = atoll(argv[7]) * 1000000LL;
  b.cap = strtoull(argv[8], NULL, 10);
  b.program = argv + 10;
  if (parallel < 1 || n < 0 || b.wall_ns <= 0 || b.cap == 0) { errno = EINVAL; fail("batch arguments"); }
  read_inputs(&b, n);
  if (b.isolate) {
    enter_sandbox(b.cwd, argv[2], argv[3]);
    /* The tests' directories on a tmpfs of the batch's own: gone with it, nothing to clean up. */
    if (mount("mcl-batch", b.cwd, "tmpfs", BATCH_TMPFS_FLAGS, "size=256m,mode=755") != 0) fail("tmpfs %s", b.cwd);
    if (chdir(b.cwd) != 0) fail("cd %s", b.cwd);
  } else {
    if (chdir(b.cwd) != 0) fail("cd %s", b.cwd);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) fail("subreaper");
  }
  b.outcomes = mmap(NULL, sizeof(struct outcome) * (size_t)(n > 0 ? n : 1), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (b.outcomes == MAP_FAILED) fail("mmap");

  /* SIGCHLD: a test ended. SIGTERM: the caller aborts; the tests are killed and reaped before exit. */
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  if (sigprocmask(SIG_BLOCK, &handled, NULL) != 0) fail("sigprocmask");
  int sfd = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) fail("signalfd");

  struct test *tests = calloc((size_t)parallel, sizeof *tests);
  struct pollfd *fds = calloc((size_t)(1 + 2 * parallel), sizeof *fds);
  if (!tests || !fds) fail("calloc");
  int next = 0, done = 0;
  while (done < n) {
    for (int s = 0; s < parallel && next < n; s++)
      if (tests[s].pid == 0) start_test(&b, &tests[s], next++);

    long long now = now_ns(), wake = -1;
    int nfds = 0;
    fds[nfds++] = (struct pollfd){sfd, POLLIN, 0};
    for (int s = 0; s < parallel; s++) {
      struct test *t = &tests[s];
      if (t->pid == 0) continue;
      if (t->out >= 0) fds[nfds++] = (struct pollfd){t->out, POLLIN, 0};
      if (t->err >= 0) fds[nfds++] = (struct pollfd){t->err, POLLIN, 0};
      long long at = t->reaped ? t->linger_ns : t->deadline_ns;
      if (wake < 0 || at < wake) wake = at;
    }
    int timeout = wake < 0 ? -1 : wake <= now ? 0 : (int)((wake - now + 999999) / 1000000);
    if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) fail("poll");

    for (int s = 0; s < parallel; s++) {
      struct test *t = &tests[s];
      for (int f = 1; f < nfds && t->pid; f++) {
        if (!fds[f].revents) continue;
        if (fds[f].fd == t->out) read_out(&b, t);
        else if (fds[f].fd == t->err) read_err(&b, t);
      }
    }
    if (fds[0].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0)
        if (si.ssi_signo == SIGTERM) return abort_tests(&b, tests, parallel);
      int status;
      struct rusage ru;
      pid_t p;
      while ((p = wait4(-1, &status, WNOHANG, &ru)) > 0)
        for (int s = 0; s < parallel; s++)
          if (tests[s].pid == p && !tests[s].reaped) reaped(&b, &tests[s], status, &ru);
    }
    now = now_ns();
    for (int s = 0; s < parallel; s++) {
      struct test *t = &tests[s];
      if (t->pid == 0) continue;
      if (!t->reaped && now >= t->deadline_ns && !t->timed_out) {
        t->timed_out = 1;
        kill_test(&b, t);
      }
      /* Not isolated, a process that left the group (setsid) may hold the pipes: stop waiting for it. */
      if (t->reaped && now >= t->linger_ns) {
        if (t->out >= 0) { close(t->out); t->out = -1; }
        if (t->err >= 0) { close(t->err); t->err = -1; }
      }
      if (t->reaped && t->out < 0 && t->err < 0) {
        finish(&b, t);
        done++;
      }
    }
  }
  if (!b.isolate) end_leftovers();
  return 0;
}
