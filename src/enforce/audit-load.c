/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <sys/stat.h>

#include "audit-load.h"
#include "fs-util.h"
#include "string-table.h"
#include "string-util.h"

/* libaudit's requests return the sequence number (> 0) on success, or the negative errno of the send
 * or of the kernel's acknowledgement. errno may have been overwritten by then (libaudit logs through
 * syslog on failure), so it is not read. */
static int libaudit_result(int r) {
        return r > 0 ? 0 : r < 0 ? r : -EIO;
}

static const char *const audit_setting_table[_AUDIT_SETTING_MAX] = {
        [AUDIT_SETTING_ENABLED] = "enabled flag",
        [AUDIT_SETTING_BACKLOG_LIMIT] = "backlog limit",
        [AUDIT_SETTING_FAILURE_MODE] = "failure mode",
        [AUDIT_SETTING_RATE_LIMIT] = "rate limit",
        [AUDIT_SETTING_BACKLOG_WAIT_TIME] = "backlog wait time",
        [AUDIT_SETTING_LOGINUID_IMMUTABLE] = "loginuid-immutable feature",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(audit_setting, AuditSetting);

int audit_setting_set(int fd, AuditSetting s, uint32_t value) {
        switch (s) {
        case AUDIT_SETTING_ENABLED:
                return libaudit_result(audit_set_enabled(fd, value));
        case AUDIT_SETTING_BACKLOG_LIMIT:
                return libaudit_result(audit_set_backlog_limit(fd, value));
        case AUDIT_SETTING_FAILURE_MODE:
                return libaudit_result(audit_set_failure(fd, value));
        case AUDIT_SETTING_RATE_LIMIT:
                return libaudit_result(audit_set_rate_limit(fd, value));
        case AUDIT_SETTING_BACKLOG_WAIT_TIME:
                return libaudit_result(audit_set_backlog_wait_time(fd, value));
        case AUDIT_SETTING_LOGINUID_IMMUTABLE:
                if (value != 1)
                        return -EINVAL; /* the kernel's lock cannot be undone */
                return libaudit_result(audit_set_loginuid_immutable(fd));
        default:
                return -EINVAL;
        }
}

size_t audit_settings_from_profile(const ProfileAudit *a, AuditSetting settings[static _AUDIT_SETTING_MAX],
                                   uint32_t values[static _AUDIT_SETTING_MAX]) {
        size_t n = 0;

        if (a->backlog_limit != NUMBER_UNSET) {
                settings[n] = AUDIT_SETTING_BACKLOG_LIMIT;
                values[n++] = (uint32_t) a->backlog_limit;
        }
        if (a->failure_mode >= 0) {
                settings[n] = AUDIT_SETTING_FAILURE_MODE;
                values[n++] = (uint32_t) a->failure_mode;
        }
        if (a->rate_limit != NUMBER_UNSET) {
                settings[n] = AUDIT_SETTING_RATE_LIMIT;
                values[n++] = (uint32_t) a->rate_limit;
        }
        if (a->backlog_wait_time != NUMBER_UNSET) {
                settings[n] = AUDIT_SETTING_BACKLOG_WAIT_TIME;
                values[n++] = (uint32_t) a->backlog_wait_time;
        }
        if (a->loginuid_immutable > 0) {
                settings[n] = AUDIT_SETTING_LOGINUID_IMMUTABLE;
                values[n++] = 1;
        }
        return n;
}

int audit_apply_settings(int fd, const ProfileAudit *a, audit_setting_error_cb_t cb, void *userdata) {
        AuditSetting settings[_AUDIT_SETTING_MAX];
        uint32_t values[_AUDIT_SETTING_MAX];
        size_t n = audit_settings_from_profile(a, settings, values);
        int r = 0;

        for (size_t i = 0; i < n; i++) {
                int k = audit_setting_set(fd, settings[i], values[i]);

                if (k < 0) {
                        if (cb)
                                cb(settings[i], values[i], k, userdata);
                        if (r == 0)
                                r = k;
                }
        }
        return r;
}

int audit_enable(int fd) {
        return audit_setting_set(fd, AUDIT_SETTING_ENABLED, 1);
}

int audit_add(int fd, const AuditRule *rule) {
        int r;

        r = audit_add_rule_data(fd, rule->data, rule->filter | (rule->prepend ? AUDIT_FILTER_PREPEND : 0), rule->action);
        if (r == -EEXIST)
                return 1;
        if (r < 0)
                return r;
        return 0;
}

int audit_lock(int fd) {
        return audit_setting_set(fd, AUDIT_SETTING_ENABLED, 2);
}

/* Waits for the reply of type type to the request just sent; the others are skipped. */
static int audit_reply_wait(int fd, int type, struct audit_reply *ret) {
        for (;;) {
                int r = audit_get_reply(fd, ret, GET_REPLY_BLOCKING, 0);
                if (r <= 0)
                        return -EIO;
                if (ret->type == NLMSG_ERROR && ret->error->error)
                        return ret->error->error;
                if (ret->type == type)
                        return 0;
        }
}

int audit_status_get(int fd, AuditStatus *ret) {
        struct audit_reply rep;
        AuditStatus st;
        int r;

        r = libaudit_result(audit_request_status(fd));
        if (r >= 0)
                r = audit_reply_wait(fd, AUDIT_GET, &rep);
        if (r < 0)
                return r;
        st = (AuditStatus){
                .enabled = rep.status->enabled,
                .failure = rep.status->failure,
                .backlog_limit = rep.status->backlog_limit,
                .rate_limit = rep.status->rate_limit,
                .backlog_wait_time = rep.status->backlog_wait_time,
        };

        r = libaudit_result(audit_request_features(fd));
        if (r >= 0)
                r = audit_reply_wait(fd, AUDIT_GET_FEATURE, &rep);
        if (r < 0)
                return r;
        st.loginuid_immutable = !!(rep.features->features & AUDIT_FEATURE_TO_MASK(AUDIT_FEATURE_LOGINUID_IMMUTABLE));

        *ret = st;
        return 0;
}

unsigned audit_status_value(const AuditStatus *st, AuditSetting s) {
        switch (s) {
        case AUDIT_SETTING_ENABLED:
                return st->enabled;
        case AUDIT_SETTING_BACKLOG_LIMIT:
                return st->backlog_limit;
        case AUDIT_SETTING_FAILURE_MODE:
                return st->failure;
        case AUDIT_SETTING_RATE_LIMIT:
                return st->rate_limit;
        case AUDIT_SETTING_BACKLOG_WAIT_TIME:
                return st->backlog_wait_time;
        case AUDIT_SETTING_LOGINUID_IMMUTABLE:
                return st->loginuid_immutable;
        default:
                return 0;
        }
}

/* Whether field type t carries a string in the rule's buffer (AUDIT_PPID, between the subject and
 * object labels, does not). */
static bool field_is_string(uint32_t t) {
        return t == AUDIT_WATCH || t == AUDIT_DIR || t == AUDIT_FILTERKEY || t == AUDIT_EXE ||
               (t >= AUDIT_SUBJ_USER && t <= AUDIT_SUBJ_CLR) || (t >= AUDIT_OBJ_USER && t <= AUDIT_OBJ_LEV_HIGH);
}

/* True if one of the rule's keys (separated by AUDIT_KEY_SEPARATOR) is key. */
static bool rule_has_key(const struct audit_rule_data *r, const char *key) {
        size_t off = 0, kl = strlen(key);

        for (uint32_t i = 0; i < r->field_count && i < AUDIT_MAX_FIELDS; i++) {
                uint32_t f = r->fields[i] & ~AUDIT_OPERATORS;
                uint32_t len = r->values[i];

                if (!field_is_string(f))
                        continue;
                if (off + len > r->buflen)
                        return false;
                if (f == AUDIT_FILTERKEY) {
                        const char *k = r->buf + off, *end = k + len;

                        while (k < end) {
                                const char *sep = memchr(k, AUDIT_KEY_SEPARATOR, end - k);
                                size_t n = (sep ?: end) - k;

                                if (n == kl && memcmp(k, key, kl) == 0)
                                        return true;
                                k += n + 1;
                        }
                }
                off += len;
        }
        return false;
}

/* Collects copies of the loaded rules with key (all with NULL): deleting while listing would confuse the dump. */
static int collect(int fd, const char *key, struct audit_rule_data ***ret, size_t *ret_n) {
        struct audit_rule_data **l = NULL;
        struct audit_reply rep;
        size_t n = 0;
        int r;

        r = libaudit_result(audit_request_rules_list_data(fd));
        if (r < 0)
                return r;

        for (;;) {
                r = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
                if (r <= 0) {
                        r = -EIO;
                        goto fail;
                }
                if (rep.type == NLMSG_DONE)
                        break;
                if (rep.type == NLMSG_ERROR) {
                        if (rep.error->error == 0)
                                continue;
                        r = rep.error->error;
                        goto fail;
                }
                if (rep.type != AUDIT_LIST_RULES)
                        continue;
                if (!key || rule_has_key(rep.ruledata, key)) {
                        size_t size = sizeof(struct audit_rule_data) + rep.ruledata->buflen;
                        struct audit_rule_data *c = malloc(size), **nl;

                        if (!c) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        memcpy(c, rep.ruledata, size);
                        nl = reallocarray(l, n + 1, sizeof(*l));
                        if (!nl) {
                                free(c);
                                r = -ENOMEM;
                                goto fail;
                        }
                        l = nl;
                        l[n++] = c;
                }
        }

        *ret = l;
        *ret_n = n;
        return 0;

fail:
        for (size_t i = 0; i < n; i++)
                free(l[i]);
        free(l);
        return r;
}

int audit_list_with_key(int fd, const char *key, audit_rule_cb_t cb, void *userdata) {
        struct audit_rule_data **l = NULL;
        size_t n = 0;
        int r;

        r = collect(fd, key, &l, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                if (cb && r >= 0)
                        r = cb(l[i], userdata);
                free(l[i]);
        }
        free(l);
        return r < 0 ? r : (int) n;
}

int audit_delete_with_key(int fd, const char *key) {
        struct audit_rule_data **l = NULL;
        size_t n = 0, deleted = 0;
        int r;

        r = collect(fd, key, &l, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                if (r >= 0) {
                        int k = audit_delete_rule_data(fd, l[i], l[i]->flags, l[i]->action);
                        if (k < 0)
                                r = k;
                        else
                                deleted++;
                }
                free(l[i]);
        }
        free(l);
        return r < 0 ? r : (int) deleted;
}

int audit_list_all(int fd, struct audit_rule_data ***ret, size_t *ret_n) {
        return collect(fd, NULL, ret, ret_n);
}

/* The kernel expands the syscall class bits at the top of the mask and clears them: compare without. */
static bool masks_equal(const uint32_t *a, const uint32_t *b) {
        const uint32_t classes = ~(UINT32_MAX >> AUDIT_SYSCALL_CLASSES);

        return memcmp(a, b, sizeof(uint32_t) * (AUDIT_BITMASK_SIZE - 1)) == 0 &&
               (a[AUDIT_BITMASK_SIZE - 1] & ~classes) == (b[AUDIT_BITMASK_SIZE - 1] & ~classes);
}

bool audit_rule_is_loaded_as(const AuditRule *rule, const struct audit_rule_data *b) {
        const struct audit_rule_data *a = rule->data;

        return (b->flags & ~AUDIT_FILTER_PREPEND) == (uint32_t) rule->filter && b->action == (uint32_t) rule->action &&
               a->field_count == b->field_count && a->field_count <= AUDIT_MAX_FIELDS &&
               masks_equal(a->mask, b->mask) && memcmp(a->fields, b->fields, sizeof(uint32_t) * a->field_count) == 0 &&
               memcmp(a->values, b->values, sizeof(uint32_t) * a->field_count) == 0 &&
               memcmp(a->fieldflags, b->fieldflags, sizeof(uint32_t) * a->field_count) == 0 && a->buflen == b->buflen &&
               memcmp(a->buf, b->buf, a->buflen) == 0;
}

/* One field of a rule, its string (if it has one) pointing into the rule's buffer; watches (path= and
 * dir=) without trailing slashes. */
typedef struct RuleField {
        uint32_t type, op, value;
        const char *str;
        size_t len;
} RuleField;

/* Whether /var/run is /run in the tree at root_fd (the usual symbolic link). */
static bool var_run_is_run(int root_fd) {
        _cleanup_close_ int a = open_in_root(root_fd, "/var/run", O_PATH | O_DIRECTORY),
                            b = open_in_root(root_fd, "/run", O_PATH | O_DIRECTORY);
        struct stat sa, sb;

        return a >= 0 && b >= 0 && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
               sa.st_ino == sb.st_ino;
}

/* The fields of d but its keys, watches of /var/run/X as /run/X where /var/run is /run in the tree at
 * root_fd (the kernel watches the same inode). Returns how many, or SIZE_MAX if d's strings overrun its
 * buffer. */
static size_t rule_fields(const struct audit_rule_data *d, int root_fd, RuleField out[static AUDIT_MAX_FIELDS]) {
        size_t n = 0, off = 0;

        for (uint32_t i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++) {
                RuleField f = { d->fields[i], d->fieldflags[i], d->values[i], NULL, 0 };

                if (field_is_string(f.type)) {
                        if (f.value > d->buflen - off)
                                return SIZE_MAX;
                        f.str = d->buf + off;
                        f.len = f.value;
                        f.value = 0;
                        off += f.len;
                }
                if (f.type == AUDIT_FILTERKEY)
                        continue;
                if (f.type == AUDIT_WATCH || f.type == AUDIT_DIR) {
                        while (f.len > 1 && f.str[f.len - 1] == '/')
                                f.len--;
                        if (f.len > 9 && strneq(f.str, "/var/run/", 9) && var_run_is_run(root_fd)) {
                                f.str += 4;
                                f.len -= 4;
                        }
                }
                out[n++] = f;
        }
        return n;
}

static bool is_watch(uint32_t type) {
        return type == AUDIT_WATCH || type == AUDIT_DIR;
}

/* Whether the watched path s (len bytes, absolute) is a directory in the tree at root_fd. */
static bool is_directory_in(int root_fd, const char *s, size_t len) {
        _cleanup_free_ char *path = strndup(s, len);
        _cleanup_close_ int fd = -EBADF;

        if (!path)
                return true; /* out of memory: the answer that never makes two rules the same */
        fd = open_in_root(root_fd, path, O_PATH | O_DIRECTORY);
        return fd >= 0;
}

/* The same field. path= and dir= of one path are the same where the path is not a directory in the
 * tree: the kernel refuses a dir= there, and -w builds path= (the stat is only made for that pair). */
static bool field_equal(const RuleField *a, const RuleField *b, int root_fd) {
        if (a->op != b->op || a->value != b->value || a->len != b->len ||
            (a->len > 0 && memcmp(a->str, b->str, a->len) != 0))
                return false;
        if (a->type == b->type)
                return true;
        return is_watch(a->type) && is_watch(b->type) && !is_directory_in(root_fd, a->str, a->len);
}

/* Whether field a records every event field b records: the same field, or a directory tree (dir=, which
 * watches everything below it) holding b's watch. A path= watch of a directory sees the directory inode
 * alone, so it never covers a dir= one. */
static bool field_covers(const RuleField *a, const RuleField *b, int root_fd) {
        if (field_equal(a, b, root_fd))
                return true;
        if (a->type != AUDIT_DIR || !is_watch(b->type) || a->op != b->op)
                return false;
        if (a->len == 1 && a->str[0] == '/')
                return b->len > 0 && b->str[0] == '/';
        return b->len >= a->len && memcmp(a->str, b->str, a->len) == 0 && (b->len == a->len || b->str[a->len] == '/');
}

static bool field_covered(const RuleField *f, const RuleField *set, size_t n, int root_fd) {
        for (size_t i = 0; i < n; i++)
                if (field_covers(f, set + i, root_fd))
                        return true;
        return false;
}

int audit_rule_covers(const struct audit_rule_data *a, const struct audit_rule_data *b, int root_fd) {
        RuleField fa[AUDIT_MAX_FIELDS], fb[AUDIT_MAX_FIELDS];
        size_t na, nb;
        bool same;

        if ((a->flags & AUDIT_FILTER_MASK) != (b->flags & AUDIT_FILTER_MASK) || a->action != b->action)
                return AUDIT_COVERS_NOT;
        for (size_t i = 0; i < AUDIT_BITMASK_SIZE; i++)
                if ((a->mask[i] & b->mask[i]) != b->mask[i])
                        return AUDIT_COVERS_NOT;
        na = rule_fields(a, root_fd, fa);
        nb = rule_fields(b, root_fd, fb);
        if (na == SIZE_MAX || nb == SIZE_MAX)
                return AUDIT_COVERS_NOT;

        same = na == nb && masks_equal(a->mask, b->mask);
        for (size_t i = 0; same && i < na; i++)
                same = field_equal(fa + i, fb + i, root_fd);
        if (same)
                return AUDIT_COVERS_SAME;
        if (a->action != AUDIT_ALWAYS) /* a broader never rule would suppress more, not record more */
                return AUDIT_COVERS_NOT;
        for (size_t i = 0; i < na; i++)
                if (!field_covered(fa + i, fb, nb, root_fd))
                        return AUDIT_COVERS_NOT;
        return AUDIT_COVERS_BROADER;
}

int audit_delete(int fd, const AuditRule *rule) {
        int r;

        r = audit_delete_rule_data(fd, rule->data, rule->filter, rule->action);
        return r < 0 ? r : 0;
}
