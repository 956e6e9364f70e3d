/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-posture: records the enforced posture once at boot, run by hardenctl-posture.service (see
 * hardenctl-measure.service(8)).
 *
 *   hardenctl-posture [--posture=FILE]
 *
 * It reads the live posture (posture_read()) and the digest of the boot profile, and writes the posture
 * record (/run/hardenctl/posture.json) atomically. What cannot be read is written as unknown (the
 * record's "unknown" member), never left out silently; it fails only if nothing can be written. Apart
 * from hardenctl-measure, which reads the record: measuring needs none of the libraries reading the
 * posture does (device-mapper, audit, SELinux), and starts faster without them. */

#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "boot.h"
#include "digest.h"
#include "fs-util.h"
#include "log.h"
#include "path-util.h"
#include "posture.h"
#include "string-util.h"

static const char *arg_posture = POSTURE_RECORD_PATH;

/* The digest of the boot profile, as hardenctl apply and attest golden compute it. */
static int boot_profile_digest(char **ret) {
        _cleanup_(profile_freep) Profile *p = NULL;
        int r;

        r = boot_profile_load_full(BOOT_LOAD_QUIET | BOOT_LOAD_KEEP_TEXT, &p);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENOENT;
        return profile_digest(p, ret);
}

static int record(void) {
        _cleanup_(posture_done) Posture posture = {};
        _cleanup_free_ char *text = NULL, *dir = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        const char *root = getenv("HARDENCTL_ROOT") ?: "/";
        int r;

        r = posture_read(root, &posture);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0) {
                /* Not even the root: a record that says nothing is known, rather than none. */
                log_warning_errno(r, "Cannot read the posture below %s: %m", root);
                posture = (Posture){ .unknown = POSTURE_UNKNOWN_USR | POSTURE_UNKNOWN_IPE | POSTURE_UNKNOWN_SELINUX |
                                                POSTURE_UNKNOWN_LOCKDOWN | POSTURE_UNKNOWN_SECURE_BOOT |
                                                POSTURE_UNKNOWN_AUDIT_LOCKED };
        }
        r = boot_profile_digest(&posture.profile_digest);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0) {
                log_warning_errno(r, "Cannot compute the digest of the boot profile " BOOT_PROFILE_PATH ": %m");
                posture.unknown |= POSTURE_UNKNOWN_PROFILE_DIGEST;
        }
        for (unsigned i = 0; i < _POSTURE_UNKNOWN_N; i++)
                if (posture.unknown & (1U << i))
                        log_warning("Posture: %s could not be read; the record says it is unknown.",
                                    posture_unknown_to_string(1U << i));

        r = posture_to_json(&posture, &text);
        if (r < 0)
                return log_error_errno(r, "Cannot encode the posture record: %m");

        dir = path_basename(arg_posture) == arg_posture ? strdup(".") :
                                                          strndup(arg_posture, path_basename(arg_posture) - arg_posture);
        if (!dir)
                return log_oom();
        (void) mkdir(dir, 0755);
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", dir);
        r = atomic_file_write_at(dir_fd, path_basename(arg_posture), text, strlen(text), 0644, 0);
        if (r < 0)
                return log_error_errno(r, "Cannot write the posture record %s: %m", arg_posture);
        log_info("Posture recorded in %s%s.", arg_posture, posture.unknown ? " (with unknowns)" : "");
        return 0;
}

int main(int argc, char *argv[]) {
        enum {
                ARG_POSTURE = 0x100,
        };
        static const struct option options[] = {
                { "posture", required_argument, NULL, ARG_POSTURE },
                {},
        };
        int c;

        log_set_prefix("hardenctl-posture");
        log_parse_environment();
        /* Its only use of libcrypto is digests (the boot profile, the IPE policy): libcrypto's start-up
         * without the rest, before anything uses it. */
        if (digest_crypto_init() < 0) {
                log_oom();
                return EXIT_FAILURE;
        }

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case ARG_POSTURE:
                        arg_posture = optarg;
                        break;
                default:
                        return EXIT_FAILURE;
                }
        if (optind < argc) {
                log_error("%s takes no arguments.", program_invocation_short_name);
                return EXIT_FAILURE;
        }
        return record() < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
