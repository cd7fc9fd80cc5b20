/*
 * The helper's single-run mode and its entry point (see sandbox-helper.ts for the usage).
 */
/* One program in the sandbox: a child of PID 1, contained (contain_program). The exit status is the
   program's, 128+N when signal N killed it. */
static int run_single(int argc, char **argv) {
  if (argc < 5) { errno = EINVAL; fail("usage: CWD HIDE KEEP RLIMITS PROGRAM [ARG...]"); }
  const char *cwd = argv[0], *limits = argv[3];
  char **program = argv + 4;
  enter_sandbox(cwd, argv[1], argv[2]);
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    contain_program(limits);
    execvp(program[0], program);
    fprintf(stderr, TAG " failed to execute %s: %s\n", program[0], strerror(errno));
    _exit(127);
  }
  struct rusage ru;
  return shell_status(wait_for(pid, &ru));
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--batch") == 0) return run_batch(argc - 2, argv + 2);
  return run_single(argc - 1, argv + 1);
}
