/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>

#include "ipe.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

void ipe_policy_header_done(IpePolicyHeader *h) {
        free(h->name);
        free(h->version);
        *h = (IpePolicyHeader){};
}

bool ipe_version_is_valid(const char *s) {
        for (int part = 0; part < 3; part++) {
                size_t n = 0;
                unsigned long v = 0;

                for (; isdigit((unsigned char) s[n]); n++)
                        v = v * 10 + (unsigned long) (s[n] - '0');
                if (n == 0 || n > 5 || v > 65535 || (n > 1 && s[0] == '0'))
                        return false;
                s += n;
                if (part < 2) {
                        if (*s != '.')
                                return false;
                        s++;
                }
        }
        return *s == 0;
}

int ipe_policy_compile(const Profile *p, const char *usr_root_hash, const char *version, char **ret, char **ret_error) {
        _cleanup_free_ char *buf = NULL, *hash = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        if (!ipe_version_is_valid(version))
                return reason_fail(ret_error, "'%s' is not a policy version: expected X.Y.Z, each at most 65535",
                                   version);
        if (usr_root_hash) {
                if (strlen(usr_root_hash) != 64 || !hex_string_is_valid(usr_root_hash, 32, 32))
                        return reason_fail(ret_error,
                                           "'%s' is not a /usr root hash: expected 64 hexadecimal digits (SHA-256)",
                                           usr_root_hash);
                hash = strdup(usr_root_hash);
                if (!hash)
                        return -ENOMEM;
                for (char *c = hash; *c; c++)
                        *c = (char) tolower((unsigned char) *c);
        } else if (p->usr.verity != VERITY_REQUIRED || p->usr.signature != SIGNATURE_REQUIRED)
                /* Only a signed /usr is allowed by dmverity_signature: anything else would not run. */
                return reason_fail(ret_error,
                                   "/usr would not be allowed to execute: give its root hash, or require a signed "
                                   "/usr in the profile ([Usr] Verity=required and Signature=required)");

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        /* First match wins; everything but execution is allowed. */
        fprintf(f,
                "policy_name=" IPE_POLICY_NAME " policy_version=%s\n"
                "DEFAULT action=ALLOW\n"
                "DEFAULT op=EXECUTE action=DENY\n"
                "op=EXECUTE boot_verified=TRUE action=ALLOW\n",
                version);
        /* /usr by its root hash if given (tighter: no other signed volume is trusted), else by its signature. */
        if (!hash)
                fputs("op=EXECUTE dmverity_signature=TRUE action=ALLOW\n", f);
        if (hash)
                fprintf(f, "op=EXECUTE dmverity_roothash=sha256:%s action=ALLOW\n", hash);
        STRV_FOREACH(h, p->exec.allow_verity_root_hashes)
                if (!hash || !streq(*h + STRLEN("sha256:"), hash))
                        fprintf(f, "op=EXECUTE dmverity_roothash=%s action=ALLOW\n", *h);
        STRV_FOREACH(d, p->exec.allow_fsverity_digests)
                fprintf(f, "op=EXECUTE fsverity_digest=%s action=ALLOW\n", *d);
        r = memstream_close(f, &buf);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(buf);
        return 0;
}

int ipe_policy_parse_header(const char *text, IpePolicyHeader *ret) {
        _cleanup_(ipe_policy_header_done) IpePolicyHeader h = {};
        size_t n = strcspn(text, "\n");
        _cleanup_free_ char *line = strndup(text, n);
        const char *p;

        if (!line)
                return -ENOMEM;
        p = line;
        for (;;) {
                _cleanup_free_ char *word = NULL;
                const char *v;
                int r;

                r = extract_first_word(&p, &word);
                if (r == -ENOMEM)
                        return r;
                if (r <= 0 || !word)
                        break;
                if ((v = startswith(word, "policy_name=")) && !h.name && !isempty(v)) {
                        h.name = strdup(v);
                        if (!h.name)
                                return -ENOMEM;
                } else if ((v = startswith(word, "policy_version=")) && !h.version && ipe_version_is_valid(v)) {
                        h.version = strdup(v);
                        if (!h.version)
                                return -ENOMEM;
                } else
                        return -EBADMSG;
        }
        if (!h.name || !h.version)
                return -EBADMSG;
        *ret = h;
        h = (IpePolicyHeader){};
        return 0;
}
