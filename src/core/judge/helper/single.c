/*
 * The helper's single-run mode and its entry point (see README.md for the usage).
 */
#include "helper.h"

/* One program in the sandbox: a child of PID 1, contained (contain_program), in control groups of its
   own when CGROUPS names hierarchies (a compile: the driver, the compiler proper, the assembler and the
   linker under one memory limit). The exit status is the program's, 128+N when signal N killed it;
   a last stderr line OOM_LINE says the group's memory limit ended one of its processes. */
static int run_single(int argc, char **argv) {
  if (argc < 6) { errno = EINVAL; fail("usage: CWD HIDE KEEP RLIMITS CGROUPS PROGRAM [ARG...]"); }
  const char *cwd = argv[0], *limits = argv[3];
  char **program = argv + 5, group[48];
  int procs[MAX_TREES];
  parse_cgroups(argv[4]);
  enter_sandbox(cwd, argv[1], argv[2]);
  group_name(group, sizeof group, 0);
  make_cgroups(group, procs);
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    join_cgroups(procs);
    contain_program(limits);
    execvp(program[0], program);
    fprintf(stderr, TAG " failed to execute %s: %s\n", program[0], strerror(errno));
    _exit(127);
  }
  close_cgroups(procs);
  struct rusage ru;
  int status = wait_for(pid, &ru);
  if (oom_killed(group)) fputs(OOM_LINE "\n", stderr);
  remove_cgroups(group);
  return shell_status(status);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--batch") == 0) return run_batch(argc - 2, argv + 2);
  return run_single(argc - 1, argv + 1);
}
