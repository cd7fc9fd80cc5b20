/*
 * The sandbox helper's shared declarations (README.md: its usage and streams). The files are compiled
 * as one translation unit in the order sandbox-helper.ts gives, this header first: the system headers
 * they all use, the words and codes the TypeScript reads back, the list sizes, and the prototypes of
 * what each file offers the others, so that no file relies on another's order.
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
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void write_file(const char *path, const char *text);
static void make_mounts_private(void);
static void enter_user_ns(int flags);
static int wait_for(pid_t pid, struct rusage *ru);
static int shell_status(int status);
static void remount_read_only(const char *cwd);
static int split_lines(char *s, char **out, int max, const char *what);
static void hide_homes(char *hide_list, char *keep_list);
static void apply_rlimits(const char *spec);

/* contain.c: the program's id, seccomp and the sandbox's PID 1. */
static void give_to_program(const char *dir);
static void contain_program(const char *rlimits);
static void mount_proc(void);
static void enter_sandbox(const char *cwd, char *hide, char *keep);

/* cgroup.c: a test's control groups. */
static void group_name(char *name, size_t size, int index);
static void parse_cgroups(char *spec);
static void remove_cgroups(const char *name);
static void make_cgroups(const char *name, int *procs);
static void join_cgroups(const int *procs);
static void close_cgroups(int *procs);
static int oom_killed(const char *name);

/* batch.c: the batch mode. single.c holds the single-run mode and main. */
static int run_batch(int argc, char **argv);

#endif
