/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "attest-golden.h"
#include "digest.h"
#include "fs-util.h"
#include "string-util.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(X509 *, X509_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(BIO *, BIO_free);

int attest_golden_posture(const Profile *p, const AttestGoldenInput *in, Posture *ret) {
        _cleanup_(posture_done) Posture g = {};
        const char *mode;
        int r;

        assert(p);
        assert(in);
        assert(ret);

        r = profile_digest(p, &g.profile_digest);
        if (r < 0)
                return r;
        if (in->root_hash) {
                g.usr_root_hash = strdup(in->root_hash);
                if (!g.usr_root_hash)
                        return -ENOMEM;
                g.usr_verified = true;
                g.usr_signed = !!in->usr_signer;
                if (in->usr_signer) {
                        g.usr_signature_key = strdup(in->usr_signer);
                        if (!g.usr_signature_key)
                                return -ENOMEM;
                }
        }
        if (in->ipe_digest) {
                g.ipe_available = true;
                g.ipe_enforce = true;
                g.ipe_digest = strdup(in->ipe_digest);
                if (!g.ipe_digest)
                        return -ENOMEM;
        }
        /* The profile's SELinux modes and the posture's have the same names. */
        mode = p->selinux.mode >= 0 ? selinux_mode_to_string(p->selinux.mode) : "disabled";
        g.selinux = posture_selinux_from_string(mode);
        if (g.selinux < 0)
                return -EINVAL;
        g.audit_locked = p->audit.immutable > 0;

        *ret = g;
        g = (Posture){};
        return 0;
}

static int read_file(const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return read_full_fd(fd, max, ret, ret_size);
}

int attest_file_digest(const char *path, char **ret) {
        _cleanup_free_ char *data = NULL;
        char hex[65];
        size_t size;
        int r;

        r = read_file(path, 16 * 1024 * 1024, &data, &size);
        if (r < 0)
                return r;
        r = sha256_hex(data, size, hex);
        if (r < 0)
                return r;
        *ret = strprintf("sha256:%s", hex);
        return *ret ? 0 : -ENOMEM;
}

static char *subject_entry(X509_NAME *n, int nid) {
        int i = X509_NAME_get_index_by_NID(n, nid, -1);
        ASN1_STRING *s;
        unsigned char *utf8 = NULL;
        char *r;
        int k;

        if (i < 0)
                return NULL;
        s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
        k = ASN1_STRING_to_UTF8(&utf8, s);
        if (k < 0)
                return NULL;
        r = strndup((char *) utf8, k);
        OPENSSL_free(utf8);
        return r;
}

int attest_x509_key_description(const char *cert_path, char **ret) {
        _cleanup_free_ char *data = NULL, *cn = NULL, *o = NULL, *email = NULL, *name = NULL, *id = NULL;
        _cleanup_(BIO_freep) BIO *b = NULL;
        _cleanup_(X509_freep) X509 *x = NULL;
        const ASN1_OCTET_STRING *skid;
        X509_NAME *subject;
        size_t size;
        int r;

        r = read_file(cert_path, 1024 * 1024, &data, &size);
        if (r < 0)
                return r;
        b = BIO_new_mem_buf(data, (int) size);
        if (!b)
                return -ENOMEM;
        x = PEM_read_bio_X509(b, NULL, NULL, NULL);
        if (!x) {
                const unsigned char *p = (const unsigned char *) data;

                x = d2i_X509(NULL, &p, (long) size);
        }
        if (!x)
                return -EBADMSG;

        /* As the kernel's x509_fabricate_name(): CN, or O: CN unless CN begins with O, or O, or e-mail. */
        subject = X509_get_subject_name(x);
        cn = subject_entry(subject, NID_commonName);
        o = subject_entry(subject, NID_organizationName);
        email = subject_entry(subject, NID_pkcs9_emailAddress);
        if (cn && o && !strneq(cn, o, strlen(o)))
                name = strprintf("%s: %s", o, cn);
        else
                name = strdup(cn ?: o ?: email ?: "");
        if (!name)
                return -ENOMEM;

        skid = X509_get0_subject_key_id(x);
        if (skid)
                id = hexmem(ASN1_STRING_get0_data(skid), ASN1_STRING_length(skid));
        else {
                const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
                unsigned char *der = NULL;
                int n = i2d_ASN1_INTEGER(serial, &der);

                /* The DER integer's contents: behind its tag and (short) length. */
                if (n <= 2 || der[1] >= 0x80 || der[1] != n - 2) {
                        OPENSSL_free(der);
                        return -EBADMSG;
                }
                id = hexmem(der + 2, n - 2);
                OPENSSL_free(der);
        }
        if (!id)
                return -ENOMEM;
        *ret = strprintf("%s: %s", name, id);
        return *ret ? 0 : -ENOMEM;
}
