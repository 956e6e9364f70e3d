/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What the kernel refuses when a rule is added (kernel/auditfilter.c, audit_watch.c, audit_tree.c,
 * audit_fsnotify.c) that libaudit and auditctl let through: known statically, so that hardenctl validate
 * says so rather than the boot. */

#include <libgen.h>
#include <linux/audit.h>
#include <sys/stat.h>

#include "audit-rule.h"
#include "string-util.h"

/* The fields whose value is the length of a string in buf, in order. */
static bool field_has_string(uint32_t f) {
        switch (f) {
        case AUDIT_WATCH:
        case AUDIT_DIR:
        case AUDIT_FILTERKEY:
        case AUDIT_EXE:
        case AUDIT_SUBJ_USER:
        case AUDIT_SUBJ_ROLE:
        case AUDIT_SUBJ_TYPE:
        case AUDIT_SUBJ_SEN:
        case AUDIT_SUBJ_CLR:
        case AUDIT_OBJ_USER:
        case AUDIT_OBJ_ROLE:
        case AUDIT_OBJ_TYPE:
        case AUDIT_OBJ_LEV_LOW:
        case AUDIT_OBJ_LEV_HIGH:
                return true;
        default:
                return false;
        }
}

static const char *path_field_name(uint32_t f) {
        return f == AUDIT_WATCH ? "path" : f == AUDIT_DIR ? "dir" : f == AUDIT_EXE ? "exe" : "inode";
}

/* A watch is added on its parent directory: one that exists here and is not a directory rules it out. */
static int check_parent(int root_fd, const char *path, char **ret_reason) {
        _cleanup_free_ char *copy = strdup(path);
        struct stat st;
        const char *parent;

        if (!copy)
                return -ENOMEM;
        parent = dirname(copy);
        if (audit_path_stat(root_fd, parent, &st) == 0 && !S_ISDIR(st.st_mode))
                return reason_fail(ret_reason, "the kernel refuses path=%s: %s is not a directory", path, parent);
        return 0;
}

int audit_rule_check_kernel(int root_fd, const struct audit_rule_data *d, char **ret_reason) {
        uint32_t list = d->flags & AUDIT_FILTER_MASK, object = 0, n = d->field_count;
        size_t off = 0;
        bool exe = false;
        int r;

        assert(d);
        assert(ret_reason);

        if (n > AUDIT_MAX_FIELDS)
                return reason_fail(ret_reason, "the kernel takes at most %d fields in a rule", AUDIT_MAX_FIELDS);

        for (uint32_t i = 0; i < n; i++) {
                uint32_t f = d->fields[i], op = d->fieldflags[i], v = d->values[i];
                _cleanup_free_ char *s = NULL;

                if (field_has_string(f)) {
                        if (v > d->buflen - off)
                                return reason_fail(ret_reason, "malformed rule: strings longer than the rule");
                        s = strndup_safe(d->buf + off, v);
                        if (!s)
                                return -ENOMEM;
                        off += v;
                }

                switch (f) {
                case AUDIT_WATCH:
                case AUDIT_DIR:
                case AUDIT_INODE:
                        if (object != 0)
                                return reason_fail(ret_reason, "the kernel refuses %s= together with %s= in one rule",
                                                   path_field_name(f), path_field_name(object));
                        object = f;
                        if (list != AUDIT_FILTER_EXIT && list != AUDIT_FILTER_URING_EXIT)
                                return reason_fail(ret_reason, "the kernel takes %s= only on the exit and io_uring lists",
                                                   path_field_name(f));
                        if (f == AUDIT_INODE)
                                break;
                        if (op != AUDIT_EQUAL)
                                return reason_fail(ret_reason, "the kernel takes %s= only with the = operator",
                                                   path_field_name(f));
                        if (s[0] != '/')
                                return reason_fail(ret_reason, "the kernel refuses %s=%s: the path must be absolute",
                                                   path_field_name(f), s);
                        if (f == AUDIT_WATCH && endswith(s, "/"))
                                return reason_fail(ret_reason,
                                                   "the kernel refuses path=%s: drop the trailing slash (or use dir=)",
                                                   s);
                        if (f == AUDIT_WATCH) {
                                r = check_parent(root_fd, s, ret_reason);
                                if (r < 0)
                                        return r;
                        }
                        break;
                case AUDIT_EXE:
                        if (exe)
                                return reason_fail(ret_reason, "the kernel takes one exe= per rule");
                        exe = true;
                        if (s[0] != '/')
                                return reason_fail(ret_reason, "the kernel refuses exe=%s: the path must be absolute", s);
                        break;
                case AUDIT_PERM:
                        if (list == AUDIT_FILTER_URING_EXIT)
                                return reason_fail(ret_reason, "the kernel refuses perm= on the io_uring list");
                        if (v & ~15U)
                                return reason_fail(ret_reason, "the kernel refuses perm=%u", v);
                        break;
                case AUDIT_LOGINUID_SET:
                        if (v > 1)
                                return reason_fail(ret_reason, "the kernel takes only 0 or 1 for loginuid_set");
                        break;
                case AUDIT_MSGTYPE:
                        if (list != AUDIT_FILTER_EXCLUDE && list != AUDIT_FILTER_USER)
                                return reason_fail(ret_reason,
                                                   "the kernel takes msgtype= only on the exclude and user lists");
                        break;
                default:
                        break;
                }
                if (list == AUDIT_FILTER_FS && f != AUDIT_FSTYPE && f != AUDIT_FILTERKEY)
                        return reason_fail(ret_reason, "the kernel takes only fstype= and a key on the filesystem list");
        }
        return 0;
}
