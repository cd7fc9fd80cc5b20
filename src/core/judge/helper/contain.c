/*
 * What keeps a judged program (or a compiler) from the host beyond the namespaces: an unprivileged id
 * when the judge runs as root, no capabilities, no_new_privs, a seccomp filter, a read-only /proc/sys
 * and /sys, and a /dev with only the harmless devices.
 *
 * Why an id of its own: inside the user namespace the program is root of the namespace, which is the
 * caller's uid outside. For an ordinary user that is harmless; for real root it is uid 0 on the host,
 * and the kernel lets uid 0 write /proc/sys whatever the capabilities (kernel.core_pattern then runs a
 * command as host root). So under root the namespace also maps PROGRAM_ID to the host's `nobody`, and
 * the program runs as that.
 */
#include "helper.h"

#include <grp.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <sys/socket.h>
#include <sys/syscall.h>

/* Inside the sandbox's user namespace; outside it is NOBODY_ID (only when the caller is root). */
#define PROGRAM_ID 1
#define NOBODY_ID 65534

/* Set once the sandbox's user namespace maps PROGRAM_ID (the caller is root). */
static int program_id_mapped;

/*
 * The sandbox's user namespace as real root: 0 stays 0 for the set-up, PROGRAM_ID is nobody for the
 * program. A map of two ids needs CAP_SETUID in the parent namespace, which the process gives up by
 * unsharing: a child that stays outside writes the maps (what newuidmap does).
 */
static void enter_user_ns_as_root(int flags) {
  int go[2];
  if (pipe2(go, O_CLOEXEC) != 0) fail("pipe");
  pid_t self = getpid(), mapper = fork();
  if (mapper < 0) fail("fork");
  if (mapper == 0) {
    char c, path[64], map[64];
    close(go[1]);
    if (read(go[0], &c, 1) != 1) _exit(SETUP_FAILED);
    snprintf(map, sizeof map, "0 0 1\n%d %d 1\n", PROGRAM_ID, NOBODY_ID);
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)self);
    write_file(path, map);
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)self);
    write_file(path, map);
    _exit(0);
  }
  close(go[0]);
  if (unshare(CLONE_NEWUSER | flags) != 0) fail("unshare");
  if (write(go[1], "x", 1) != 1) fail("start the id mapper");
  close(go[1]);
  int status;
  while (waitpid(mapper, &status, 0) < 0)
    if (errno != EINTR) fail("wait for the id mapper");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { errno = EPERM; fail("map the program's id"); }
  program_id_mapped = 1;
  if (flags & CLONE_NEWNS) make_mounts_private();
}

/* The directory the program writes in, made its own (under root it is not the set-up's id). */
void give_to_program(const char *dir) {
  if (program_id_mapped && chown(dir, PROGRAM_ID, PROGRAM_ID) != 0) fail("chown %s", dir);
}

/* Under root: nobody, with no supplementary groups (root's group 0 would stay one otherwise). */
static void become_program_id(void) {
  if (!program_id_mapped) return;
  if (setgroups(0, NULL) != 0) fail("setgroups");
  if (setresgid(PROGRAM_ID, PROGRAM_ID, PROGRAM_ID) != 0 || setresuid(PROGRAM_ID, PROGRAM_ID, PROGRAM_ID) != 0) fail("drop to the program's id");
  /* A changed uid makes the process undumpable, and then /proc/self/uid_map is not its to write. */
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) fail("dumpable");
}

/* No capability now or after exec, none to regain, no set-id or file-capability gains. */
static void drop_privileges(void) {
  if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED
            | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, 0, 0, 0) != 0) fail("securebits");
  for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) fail("drop capability %d", cap);
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) fail("ambient capabilities");
  struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capset, &head, data) != 0) fail("capset");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("no_new_privs");
}

#if defined(__x86_64__)
#define AUDIT_ARCH_HERE AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define AUDIT_ARCH_HERE AUDIT_ARCH_AARCH64
#endif

/* Namespace flags a program may not pass to clone (CLONE_NEWTIME is CSIGNAL's bit there). */
#define CLONE_NAMESPACES (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/*
 * Refuses the system calls no contest program needs and a hostile one would want: mounts, namespaces,
 * tracing, kernel keys, BPF, perf, modules, kexec, reboot, clocks, swap, accounting, handles, Unix
 * sockets. clone3
 * and io_uring answer ENOSYS, so the C library and libuv fall back to clone and plain I/O, and so does
 * memfd_create (see below). Another
 * architecture's system calls (x32, i386 on x86-64) kill the process.
 */
static void install_seccomp(void) {
#ifdef AUDIT_ARCH_HERE
  static const int refused[] = {
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_unshare, SYS_setns, SYS_ptrace, SYS_process_vm_readv,
    SYS_process_vm_writev, SYS_kcmp, SYS_bpf, SYS_perf_event_open, SYS_keyctl, SYS_add_key, SYS_request_key,
    SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_kexec_load, SYS_reboot, SYS_swapon, SYS_swapoff,
    SYS_acct, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_adjtimex, SYS_sethostname,
    SYS_setdomainname, SYS_open_by_handle_at, SYS_name_to_handle_at, SYS_userfaultfd, SYS_quotactl, SYS_syslog,
    SYS_vhangup, SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick, SYS_move_mount, SYS_open_tree,
#ifdef SYS_mount_setattr
    SYS_mount_setattr,
#endif
#ifdef SYS_kexec_file_load
    SYS_kexec_file_load,
#endif
#ifdef SYS_iopl
    SYS_iopl, SYS_ioperm,
#endif
  };
  /* memfd_create too: a memory file filled with write() is memory no limit here sees (not the address
     space, not the resident set); without it runtimes use anonymous memory, which both see. */
  static const int absent[] = {SYS_clone3, SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register, SYS_memfd_create};
  struct sock_filter f[160];
  /* Two instructions per listed call, and FILTER_FIXED for the rest (arch and x32 checks, socket, clone, allow). */
  enum { FILTER_FIXED = 16 };
  _Static_assert(FILTER_FIXED + 2 * (sizeof refused / sizeof refused[0] + sizeof absent / sizeof absent[0]) <= sizeof f / sizeof f[0],
                 "the seccomp filter does not fit its array");
  unsigned n = 0;
  size_t nr_at = offsetof(struct seccomp_data, nr), arch_at = offsetof(struct seccomp_data, arch);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arch_at);
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_HERE, 1, 0);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr_at);
#ifdef __x86_64__
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1); /* x32 */
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)refused[i], 0, 1);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  }
  for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)absent[i], 0, 1);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  }
  /* socket(AF_UNIX, ...): a Unix socket could connect to a host's (ssh-agent, Docker, an editor's) by any
     path the program can see, a read-only mount being no obstacle to connect. socketpair stays. */
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 3);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr_at);
  /* clone(flags, ...): flags are the first argument's low word on both architectures. */
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NAMESPACES, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {(unsigned short)n, f};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) fail("seccomp");
#endif
}

/* Everything between the program's id and exec: its namespace, then nothing to gain in it. */
void contain_program(const char *rlimits) {
  become_program_id();
  enter_user_ns(0);
  apply_rlimits(rlimits);
  drop_privileges();
  install_seccomp();
}

/* Bound onto itself read-only, keeping the flags of the mount it lies in (a remount may not clear them). */
static void bind_read_only(const char *path, unsigned long kept) {
  if (access(path, F_OK) != 0) return;
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) fail("bind %s", path);
  if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | kept, NULL) != 0) fail("read-only %s", path);
}

/* A fresh /proc of the PID namespace whose kernel knobs cannot be turned. */
void mount_proc(void) {
  static const char *knobs[] = {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", "/proc/acpi", "/proc/scsi"};
  unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  if (mount("proc", "/proc", "proc", flags, NULL) != 0) fail("mount /proc");
  for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) bind_read_only(knobs[i], flags);
}

/*
 * /dev with only null, zero, full, random, urandom and tty (bound from the host's), the usual links,
 * and an empty shm: built on a scratch tmpfs over cwd, then moved over /dev and made read-only.
 */
static void minimal_dev(const char *cwd) {
  static const char *devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
  static const char *links[][2] = {{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}};
  char path[4200], host[64];
  if (mount("mcl-dev", cwd, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=755") != 0) fail("/dev tmpfs");
  for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
    snprintf(host, sizeof host, "/dev/%s", devices[i]);
    if (access(host, F_OK) != 0) continue;
    snprintf(path, sizeof path, "%s/%s", cwd, devices[i]);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) fail("create %s", path);
    close(fd);
    if (mount(host, path, NULL, MS_BIND, NULL) != 0) fail("bind %s", host);
  }
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", cwd, links[i][0]);
    if (symlink(links[i][1], path) != 0) fail("link %s", path);
  }
  snprintf(path, sizeof path, "%s/shm", cwd);
  if (mkdir(path, 01777) != 0) fail("mkdir %s", path);
  if (mount(cwd, "/dev", NULL, MS_MOVE, NULL) != 0) fail("move /dev");
  if (mount(NULL, "/dev", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL) != 0) fail("read-only /dev");
  if (mount("mcl-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") != 0) fail("/dev/shm");
}

/*
 * New user, PID, mount, network, IPC and UTS namespaces; returns in their PID 1, with /proc of the new
 * PID namespace (its knobs read-only), every mount but cwd read-only, the homes and temporary folders
 * hidden, a minimal /dev, cwd the program's and the working directory. The calling process stays outside, mirrors PID 1's end as its own and never returns.
 */
void enter_sandbox(const char *cwd, char *hide, char *keep) {
  int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
  if (getuid() == 0) enter_user_ns_as_root(flags);
  else enter_user_ns(flags);
  /* The child reads EOF here once the parent is gone: the check for a parent that died before prctl. */
  int alive[2];
  if (pipe2(alive, O_CLOEXEC) != 0) fail("pipe");
  pid_t init = fork();
  if (init < 0) fail("fork");
  if (init > 0) {
    int status;
    close(alive[0]);
    while (waitpid(init, &status, 0) < 0)
      if (errno != EINTR) fail("wait");
    if (WIFSIGNALED(status)) {
      signal(WTERMSIG(status), SIG_DFL);
      kill(getpid(), WTERMSIG(status));
    }
    _exit(shell_status(status));
  }
  /* PID 1 of the new namespaces; dies with the process above (unshare --kill-child). */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("pdeathsig");
  close(alive[1]);
  struct pollfd parent = {alive[0], POLLIN, 0};
  if (poll(&parent, 1, 0) != 0) _exit(SETUP_FAILED);
  close(alive[0]);
  mount_proc();
  if (mount(cwd, cwd, NULL, MS_BIND, NULL) != 0) fail("bind %s", cwd);
  give_to_program(cwd);
  remount_read_only(cwd);
  hide_homes(hide, keep);
  minimal_dev(cwd);
  if (chdir(cwd) != 0) fail("cd %s", cwd);
}
