/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <linux/audit.h>
#include <linux/netlink.h>

#include "audit-load.h"
#include "string-util.h"

void audit_rules_free(AuditRule **rules, size_t n) {
        for (size_t i = 0; i < n; i++)
                audit_rule_free(rules[i]);
        free(rules);
}

static int push(AuditRule ***rules, size_t *n, const char *text, char **ret_error) {
        AuditRule *r = NULL, **l;
        _cleanup_free_ char *reason = NULL;
        int k;

        k = audit_rule_parse(text, &r, &reason);
        if (k < 0) {
                if (ret_error)
                        *ret_error = strprintf("'%s': %s", text, strna(reason));
                return k;
        }
        l = reallocarray(*rules, *n + 1, sizeof(AuditRule *));
        if (!l) {
                audit_rule_free(r);
                return -ENOMEM;
        }
        l[(*n)++] = r;
        *rules = l;
        return 0;
}

int audit_rules_from_profile(const Profile *p, AuditRule ***ret, size_t *ret_n, char **ret_error) {
        AuditRule **rules = NULL;
        size_t n = 0;
        int r = 0;

        for (char **s = p->audit.rule_sets; s && *s && r >= 0; s++) {
                const char *const *set = audit_rule_set_lookup(*s);

                if (!set) {
                        if (ret_error)
                                *ret_error = strprintf("unknown rule set '%s'", *s);
                        r = -EINVAL;
                        break;
                }
                for (; *set && r >= 0; set++)
                        r = push(&rules, &n, *set, ret_error);
        }
        for (char **s = p->audit.rules; s && *s && r >= 0; s++)
                r = push(&rules, &n, *s, ret_error);

        if (r < 0) {
                audit_rules_free(rules, n);
                return r;
        }
        *ret = rules;
        *ret_n = n;
        return 0;
}

int audit_apply_settings(int fd, const ProfileAudit *a) {
        int r;

        /* libaudit returns <= 0 on failure with errno set, or the sequence number. */
        if (a->backlog_limit != NUMBER_UNSET) {
                r = audit_set_backlog_limit(fd, (uint32_t) a->backlog_limit);
                if (r <= 0)
                        return errno > 0 ? -errno : -EIO;
        }
        if (a->failure_mode >= 0) {
                r = audit_set_failure(fd, (uint32_t) a->failure_mode);
                if (r <= 0)
                        return errno > 0 ? -errno : -EIO;
        }
        if (a->rate_limit != NUMBER_UNSET) {
                r = audit_set_rate_limit(fd, (uint32_t) a->rate_limit);
                if (r <= 0)
                        return errno > 0 ? -errno : -EIO;
        }
        return 0;
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
        int r = audit_set_enabled(fd, 2);

        return r <= 0 ? (errno > 0 ? -errno : -EIO) : 0;
}

int audit_status_get(int fd, AuditStatus *ret) {
        struct audit_reply rep;
        int r;

        r = audit_request_status(fd);
        if (r <= 0)
                return errno > 0 ? -errno : -EIO;

        for (;;) {
                r = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
                if (r <= 0)
                        return -EIO;
                if (rep.type == NLMSG_ERROR && rep.error->error)
                        return rep.error->error;
                if (rep.type == AUDIT_GET) {
                        *ret = (AuditStatus) {
                                .enabled = rep.status->enabled,
                                .failure = rep.status->failure,
                                .backlog_limit = rep.status->backlog_limit,
                                .rate_limit = rep.status->rate_limit,
                        };
                        return 0;
                }
        }
}

static bool field_is_string(uint32_t f) {
        return (f >= AUDIT_SUBJ_USER && f <= AUDIT_OBJ_LEV_HIGH) || f == AUDIT_WATCH || f == AUDIT_DIR ||
               f == AUDIT_FILTERKEY || f == AUDIT_EXE;
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

        r = audit_request_rules_list_data(fd);
        if (r <= 0)
                return errno > 0 ? -errno : -EIO;

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
               masks_equal(a->mask, b->mask) &&
               memcmp(a->fields, b->fields, sizeof(uint32_t) * a->field_count) == 0 &&
               memcmp(a->values, b->values, sizeof(uint32_t) * a->field_count) == 0 &&
               memcmp(a->fieldflags, b->fieldflags, sizeof(uint32_t) * a->field_count) == 0 &&
               a->buflen == b->buflen && memcmp(a->buf, b->buf, a->buflen) == 0;
}

int audit_delete(int fd, const AuditRule *rule) {
        int r;

        r = audit_delete_rule_data(fd, rule->data, rule->filter, rule->action);
        return r < 0 ? r : 0;
}
