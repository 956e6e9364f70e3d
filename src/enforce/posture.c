/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <libaudit.h>

#include "audit-load.h"
#include "digest.h"
#include "fs-util.h"
#include "kernel-util.h"
#include "parse-util.h"
#include "posture-internal.h"
#include "string-table.h"
#include "string-util.h"
#include "verity-dm.h"

#define IPE_DIR "/sys/kernel/security/ipe"
#define SELINUX_ENFORCE "/sys/fs/selinux/enforce"
#define LOCKDOWN "/sys/kernel/security/lockdown"
#define SECURE_BOOT_VAR "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
#define USR_DM_NAME "usr"
#define SMALL_FILE_MAX 4096U

/* A small kernel file below the root, whole (max bytes); ret_size may be NULL. */
static int read_at(int root_fd, const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open_in_root(root_fd, path, O_RDONLY | O_NOCTTY);
        size_t n;
        int r;

        if (fd < 0)
                return fd;
        r = read_full_fd(fd, max, ret, &n);
        if (r >= 0 && ret_size)
                *ret_size = n;
        return r;
}

/* "1\n" and the like. */
static int read_bool_at(int root_fd, const char *path, bool *ret) {
        _cleanup_free_ char *s = NULL;
        int r;

        r = read_at(root_fd, path, SMALL_FILE_MAX, &s, NULL);
        if (r < 0)
                return r;
        strstrip(s);
        if (!streq(s, "0") && !streq(s, "1"))
                return -EBADMSG;
        *ret = streq(s, "1");
        return 0;
}

int posture_parse_verity_table(const char *params, Posture *p) {
        _cleanup_(verity_table_done) VerityTable t = {};
        int r;

        r = verity_table_parse(params, &t);
        if (r < 0)
                return r;
        free(p->usr_root_hash);
        p->usr_root_hash = TAKE_PTR(t.root_hash);
        p->usr_signed = !!t.signature_key;
        return 0;
}

int posture_parse_secure_boot(const void *data, size_t size, bool *ret) {
        if (size < 5)
                return -EBADMSG;
        *ret = ((const uint8_t *) data)[4] == 1;
        return 0;
}

/* The live device-mapper table and status of /usr (no file below a root holds them). */
static int read_usr_dm(Posture *p) {
        _cleanup_(verity_table_done) VerityTable t = {};
        _cleanup_free_ char *status = NULL;
        int r;

        r = verity_dm_read(USR_DM_NAME, &t, &status);
        if (r < 0)
                return r;
        free(p->usr_root_hash);
        p->usr_root_hash = TAKE_PTR(t.root_hash);
        p->usr_signed = !!t.signature_key;
        p->usr_verified = streq(status, "verified");
        return 0;
}

int posture_apply_usr_signer(const char *record, Posture *p) {
        _cleanup_free_ char *h = NULL, *f = NULL, *k = NULL;
        int r;

        r = posture_usr_signer_from_json(record, &h, &f, &k);
        if (r < 0)
                return r;
        if (!p->usr_signed || !p->usr_root_hash || !streq(h, p->usr_root_hash))
                return -ESTALE; /* a record of another activation: it says nothing of this one */
        free(p->usr_signer);
        p->usr_signer = TAKE_PTR(f);
        free(p->usr_keyring);
        p->usr_keyring = TAKE_PTR(k);
        return 0;
}

/* The signer of the signed /usr, from what hardenctl-verity attach recorded of the signature it gave. */
static void read_usr_signer(int root_fd, Posture *p) {
        _cleanup_free_ char *text = NULL;

        if (!p->usr_signed)
                return;
        if (read_at(root_fd, POSTURE_USR_SIGNER_PATH, SMALL_FILE_MAX, &text, NULL) < 0)
                return;
        (void) posture_apply_usr_signer(text, p);
}

static int read_ipe(int root_fd, Posture *p) {
        _cleanup_close_ int fd = -EBADF;
        DIR *d;
        int r;

        fd = open_in_root(root_fd, IPE_DIR "/policies", O_RDONLY | O_DIRECTORY);
        if (fd == -ENOENT) {
                _cleanup_close_ int ipe = open_in_root(root_fd, IPE_DIR, O_PATH | O_DIRECTORY);

                p->ipe_available = ipe >= 0;
                if (ipe >= 0)
                        (void) read_bool_at(root_fd, IPE_DIR "/enforce", &p->ipe_enforce);
                return ipe >= 0 || ipe == -ENOENT ? 0 : ipe;
        }
        if (fd < 0)
                return fd;
        p->ipe_available = true;
        r = read_bool_at(root_fd, IPE_DIR "/enforce", &p->ipe_enforce);
        if (r < 0 && r != -ENOENT)
                return r;

        d = fdopendir(TAKE_FD(fd));
        if (!d)
                return -errno;
        for (struct dirent *de; (de = readdir(d));) {
                _cleanup_free_ char *dir = NULL, *path = NULL, *version = NULL, *der = NULL;
                char hex[65];
                bool active = false;
                size_t n;

                if (de->d_name[0] == '.')
                        continue;
                dir = strprintf(IPE_DIR "/policies/%s", de->d_name);
                path = dir ? strprintf("%s/active", dir) : NULL;
                if (!path) {
                        closedir(d);
                        return -ENOMEM;
                }
                if (read_bool_at(root_fd, path, &active) < 0 || !active)
                        continue;

                p->ipe_policy = strdup(de->d_name);
                free(path);
                path = strprintf("%s/version", dir);
                if (!p->ipe_policy || !path) {
                        closedir(d);
                        return -ENOMEM;
                }
                if (read_at(root_fd, path, SMALL_FILE_MAX, &version, NULL) >= 0)
                        p->ipe_version = strdup(strstrip(version));
                free(path);
                path = strprintf("%s/pkcs7", dir);
                if (!path) {
                        closedir(d);
                        return -ENOMEM;
                }
                if (read_at(root_fd, path, 1024U * 1024U, &der, &n) >= 0 && sha256_hex(der, n, hex) >= 0)
                        p->ipe_digest = strprintf("sha256:%s", hex);
                break;
        }
        closedir(d);
        return 0;
}

static void read_audit_lock(Posture *p) {
        AuditStatus s = {};
        int fd;

        fd = audit_open();
        if (fd < 0) {
                p->unknown |= POSTURE_UNKNOWN_AUDIT_LOCKED;
                return;
        }
        if (audit_status_get(fd, &s) >= 0)
                p->audit_locked = s.enabled == 2;
        else
                p->unknown |= POSTURE_UNKNOWN_AUDIT_LOCKED;
        audit_close(fd);
}

int posture_read(const char *root, Posture *ret) {
        _cleanup_(posture_done) Posture p = {
                .selinux = POSTURE_SELINUX_DISABLED,
                .lockdown = POSTURE_LOCKDOWN_NONE,
        };
        _cleanup_close_ int root_fd = -EBADF;
        _cleanup_free_ char *text = NULL, *efi = NULL;
        bool live = !root || streq(root, "/"), b;
        size_t n;
        int r;

        root_fd = open(root ?: "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return -errno;

        /* The kernel's own answers; live only. */
        /* Each part on its own: what fails is marked unknown, the rest is still read. Absent files
         * (no IPE, no SELinux, no lockdown LSM, no EFI) are answers, not unknowns. */
        if (live) {
                r = read_usr_dm(&p);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 && r != -ENXIO && r != -EMEDIUMTYPE) {
                        p.unknown |= POSTURE_UNKNOWN_USR;
                        p.usr_root_hash = mfree(p.usr_root_hash);
                        p.usr_signed = p.usr_verified = false;
                }
                read_usr_signer(root_fd, &p);
                read_audit_lock(&p);
        } else
                p.unknown |= POSTURE_UNKNOWN_USR | POSTURE_UNKNOWN_AUDIT_LOCKED;

        r = read_ipe(root_fd, &p);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                p.unknown |= POSTURE_UNKNOWN_IPE;

        r = read_bool_at(root_fd, SELINUX_ENFORCE, &b);
        if (r >= 0)
                p.selinux = b ? POSTURE_SELINUX_ENFORCING : POSTURE_SELINUX_PERMISSIVE;
        else if (r != -ENOENT)
                p.unknown |= POSTURE_UNKNOWN_SELINUX;

        r = read_at(root_fd, LOCKDOWN, SMALL_FILE_MAX, &text, NULL);
        if (r >= 0) {
                r = kernel_lockdown_parse(text);
                /* The same three modes, in the same order. */
                if (r >= 0)
                        p.lockdown = (PostureLockdown) r;
        }
        if (r < 0 && r != -ENOENT)
                p.unknown |= POSTURE_UNKNOWN_LOCKDOWN;

        r = read_at(root_fd, SECURE_BOOT_VAR, SMALL_FILE_MAX, &efi, &n);
        if (r >= 0)
                r = posture_parse_secure_boot(efi, n, &p.secure_boot);
        if (r < 0 && r != -ENOENT)
                p.unknown |= POSTURE_UNKNOWN_SECURE_BOOT;

        *ret = p;
        p = (Posture){};
        return 0;
}
