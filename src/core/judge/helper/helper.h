/*
 * The sandbox helper's shared declarations (README.md: its usage and streams). Every .c file includes
 * it and is compiled on its own (sandbox-helper.ts), then the objects are linked: here are the system
 * headers they all use, the words and codes the TypeScript reads back, the list sizes, and the
 * prototypes of what each file offers the others; what a file keeps to itself stays static there.
 */
#ifndef MAPCODER_HELPER_H
#define MAPCODER_HELPER_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Folders HIDE may name, and directories KEEP may (README.md); more fail the set-up. */
#define MAX_HIDE 64
#define MAX_KEEP 256
#define SETUP_FAILED 125
#define TAG "mapcoder-lite sandbox:"
/* The single mode's last stderr line when its control group's memory limit ended a process (sandbox.ts reads it). */
#define OOM_LINE TAG " out of memory in its control group"
/* Hierarchies CGROUPS may name (v2: one; v1: memory and pids). */
#define MAX_TREES 4

/* setup.c: errors, user namespaces, the read-only file system with hidden homes, rlimits, waiting. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void write_file(const char *path, const char *text);
void make_mounts_private(void);
void enter_user_ns(int flags);
int wait_for(pid_t pid, struct rusage *ru);
int shell_status(int status);
void remount_read_only(const char *cwd);
int split_lines(char *s, char **out, int max, const char *what);
void hide_homes(char *hide_list, char *keep_list);
void apply_rlimits(const char *spec);

/* contain.c: the program's id, seccomp and the sandbox's PID 1. */
void give_to_program(const char *dir);
void contain_program(const char *rlimits);
void mount_proc(void);
void enter_sandbox(const char *cwd, char *hide, char *keep);

/* cgroup.c: a test's control groups. */
void group_name(char *name, size_t size, int index);
void parse_cgroups(char *spec);
void remove_cgroups(const char *name);
void make_cgroups(const char *name, int *procs);
void join_cgroups(const int *procs);
void close_cgroups(int *procs);
int oom_killed(const char *name);

/* batch.c: the batch mode. single.c holds the single-run mode and main. */
int run_batch(int argc, char **argv);

#endif
