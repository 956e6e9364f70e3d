/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "audit-rule.h"
#include "string-util.h"

AuditRule *audit_rule_free(AuditRule *r) {
        if (!r)
                return NULL;
        free(r->data);
        free(r->key);
        free(r->text);
        return mfree(r);
}

void audit_rules_free(AuditRule **rules, size_t n) {
        for (size_t i = 0; i < n; i++)
                audit_rule_free(rules[i]);
        free(rules);
}

AuditRule *audit_rule_copy(const AuditRule *r) {
        _cleanup_(audit_rule_freep) AuditRule *c = NULL;
        size_t size;

        assert(r);

        c = new0(AuditRule, 1);
        if (!c)
                return NULL;
        size = sizeof(struct audit_rule_data) + r->data->buflen;
        c->data = malloc(size);
        if (!c->data)
                return NULL;
        memcpy(c->data, r->data, size);
        c->filter = r->filter;
        c->action = r->action;
        c->prepend = r->prepend;
        if ((r->key && !(c->key = strdup(r->key))) || !(c->text = strdup(r->text)))
                return NULL;
        return TAKE_PTR(c);
}

int audit_rules_copy(AuditRule *const *rules, size_t n, AuditRule ***ret) {
        AuditRule **l = NULL;

        assert(rules || n == 0);
        assert(ret);

        if (n > 0) {
                l = new0(AuditRule *, n);
                if (!l)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                l[i] = audit_rule_copy(rules[i]);
                if (!l[i]) {
                        audit_rules_free(l, i);
                        return -ENOMEM;
                }
        }
        *ret = l;
        return 0;
}
