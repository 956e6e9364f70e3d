/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-bus.h>

#include "plan.h"

/* The live side of hardenctl apply: reading the kernel's and systemd's state for the plan, and the
 * single changes that carry it out. Audit goes through libaudit, SELinux through libselinux, sysctls
 * through /proc/sys, systemd through sd-bus. */

typedef struct LiveOptions {
        const char *proc_sys;  /* NULL: /proc/sys; for tests, a directory tree that stands for it */
        const char *sysfs;     /* NULL: /sys; the same */
        bool test;             /* tests: never change the real /sys or /proc/sys (where not given above) */
        bool fake_selinux;     /* the caller pointed libselinux at a fake selinuxfs (set_selinuxmnt()) */
        const char *selinuxfs; /* …this one; "enforce" in it must exist for SELinux to count as enabled */
        bool audit;            /* talk to the kernel's audit subsystem */
        const char *audit_key; /* test only: see LiveState */
        bool systemd;          /* plan daemon-reload and restarts when systemd runs the host */
} LiveOptions;

/* Reads the live state. *ret_audit_fd is an open audit netlink socket (or -1 when audit cannot be
 * reached; then ret->audit is false). */
int live_state_read(const LiveOptions *o, LiveState *ret, int *ret_audit_fd);

/* Sets a sysctl below proc_sys_fd, as one write of VALUE and a newline. */
int live_sysctl_write(int proc_sys_fd, const char *key, const char *value);

/* Writes value (and a newline) to a file below sys_fd (/sys), e.g. KERNEL_LOCKDOWN_SYS_PATH, as one
 * write. */
int live_sys_write(int sys_fd, const char *path, const char *value);

/* SELinux: 1 enforcing, 0 permissive. */
int live_selinux_set(int enforcing);

/* daemon-reload, waiting until it is done. */
int live_systemd_reload(sd_bus *bus, char **ret_error);

/* try-restart UNIT, waiting for the job to finish; a failed job is an error. */
int live_systemd_try_restart(sd_bus *bus, const char *unit, char **ret_error);
