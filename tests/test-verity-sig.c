/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The one PKCS#7 signer and what uses it: an IPE policy compiled, signed with the text embedded, and
 * read back. Signing a root hash and reading signatures back: the PKCS#7 signature is checked here with libcrypto
 * against the certificate, independently of the code under test (and by the openssl tool in
 * test-cli.sh); the signature partition is parsed back, and every malformed form is refused. The key
 * and certificate are made by the test. */

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <ctype.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "fs-util.h"
#include "ipe.h"
#include "pkcs7-sign.h"
#include "string-util.h"
#include "tests.h"
#include "test-x509.h"
#include "verity-sig.h"

#define OTHER_SKID "5e0c1d2b3a4f00ff"
#define ROOT_HASH "85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2"

static char *dir, *key_path, *cert_path, *other_key_path, *other_cert_path, *enc_key_path;

/* A key and a self-signed certificate for it, serial number 0x80 (content octets 00 80), with the
 * subject key identifier skid (hexadecimal) if given. */
static void write_key_and_cert(const char *kp, const char *cp, const char *cn, const char *pass, const char *skid) {
        EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        X509 *cert = test_x509_self_signed(key, NULL, cn, 0x80, skid);
        FILE *f;

        f = fopen(kp, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(PEM_write_PrivateKey(f, key, pass ? EVP_aes_256_cbc() : NULL, NULL, 0, NULL, (void *) pass), 1);
        ck_assert_int_eq(fclose(f), 0);
        if (cp) {
                f = fopen(cp, "we");
                ck_assert_ptr_nonnull(f);
                ck_assert_int_eq(PEM_write_X509(f, cert), 1);
                ck_assert_int_eq(fclose(f), 0);
        }
        X509_free(cert);
        EVP_PKEY_free(key);
}

static void setup(void) {
        dir = test_tmpdir();
        key_path = path_join(dir, "key.pem");
        cert_path = path_join(dir, "cert.pem");
        other_key_path = path_join(dir, "other-key.pem");
        other_cert_path = path_join(dir, "other-cert.pem");
        enc_key_path = path_join(dir, "encrypted-key.pem");
        write_key_and_cert(key_path, cert_path, "hardenctl test signer", NULL, NULL);
        write_key_and_cert(other_key_path, other_cert_path, "another signer", NULL, OTHER_SKID);
        write_key_and_cert(enc_key_path, NULL, "encrypted", "secret", NULL);
}

static void teardown(void) {
        free(key_path);
        free(cert_path);
        free(other_key_path);
        free(other_cert_path);
        free(enc_key_path);
        test_tmpdir_remove(dir);
}

/* Checks der as the kernel would: a detached signature over text, by the key of cert_file, which it
 * carries as its one certificate, with no signed attributes. */
static bool signature_verifies(const uint8_t *der, size_t n, const char *text, const char *cert_file) {
        const unsigned char *p = der;
        PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long) n);
        BIO *content = BIO_new_mem_buf(text, (int) strlen(text));
        STACK_OF(X509) *certs = sk_X509_new_null();
        X509_STORE *store = X509_STORE_new();
        FILE *f = fopen(cert_file, "re");
        X509 *cert = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
        bool ok;

        ck_assert_ptr_nonnull(p7);
        ck_assert_ptr_nonnull(cert);
        ck_assert_int_eq(sk_X509_num(p7->d.sign->cert), 1);
        {
                PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0);

                ck_assert_ptr_nonnull(si);
                ck_assert_int_le(sk_X509_ATTRIBUTE_num(si->auth_attr), 0); /* no signed attributes */
        }
        sk_X509_push(certs, cert);
        ok = PKCS7_verify(p7, certs, store, content, NULL, PKCS7_NOVERIFY | PKCS7_NOINTERN | PKCS7_BINARY) == 1 &&
             X509_cmp(sk_X509_value(p7->d.sign->cert, 0), cert) == 0;

        fclose(f);
        sk_X509_pop_free(certs, X509_free);
        X509_STORE_free(store);
        BIO_free(content);
        PKCS7_free(p7);
        return ok;
}

START_TEST(test_sign) {
        _cleanup_(verity_sig_done) VeritySig s = {}, t = {}, u = {};
        _cleanup_free_ char *error = NULL, *part = NULL;
        size_t n;

        /* Given in upper case, signed as the kernel's text for it: lower case. */
        {
                char upper[] = ROOT_HASH;

                for (char *c = upper; *c; c++)
                        *c = (char) toupper((unsigned char) *c);
                ck_assert_int_eq(verity_sig_sign(upper, key_path, cert_path, &s, &error), 0);
        }
        ck_assert_str_eq(s.root_hash, ROOT_HASH);
        ck_assert_uint_eq(strlen(s.certificate_fingerprint), 64);
        ck_assert(signature_verifies(s.der, s.der_size, ROOT_HASH, cert_path));
        ck_assert(!signature_verifies(s.der, s.der_size, ROOT_HASH "\n", cert_path));
        ck_assert(!signature_verifies(s.der, s.der_size, ROOT_HASH, other_cert_path));

        /* The partition: JSON, NUL padding to 4096, and it reads back as what was signed. */
        ck_assert_int_eq(verity_sig_to_partition(&s, &part, &n), 0);
        ck_assert_uint_eq(n % 4096, 0);
        ck_assert_uint_gt(n, 0);
        ck_assert_int_eq(part[0], '{');
        ck_assert_int_eq(part[n - 1], 0);
        ck_assert_ptr_nonnull(strstr(part, "\"rootHash\":\"" ROOT_HASH "\""));
        ck_assert_int_eq(verity_sig_parse(part, n, &t, &error), 0);
        ck_assert_str_eq(t.root_hash, ROOT_HASH);
        ck_assert_str_eq(t.certificate_fingerprint, s.certificate_fingerprint);
        ck_assert_uint_eq(t.der_size, s.der_size);
        ck_assert_mem_eq(t.der, s.der, s.der_size);

        /* And the bare signature reads back as itself. */
        ck_assert_int_eq(verity_sig_parse(s.der, s.der_size, &u, &error), 0);
        ck_assert_ptr_null(u.root_hash);
        ck_assert_uint_eq(u.der_size, s.der_size);
}
END_TEST

START_TEST(test_sign_refused) {
        static const struct {
                const char *root_hash, *key, *cert, *error;
        } cases[] = {
                { "xyz", "key", "cert", "'xyz' is not a root hash" },
                { "abcd", "key", "cert", "'abcd' is not a root hash" },
                { ROOT_HASH, "missing", "cert", "cannot open" },
                { ROOT_HASH, "cert", "cert", "not a PEM private key" },
                { ROOT_HASH, "encrypted", "cert", "the private key is encrypted" },
                { ROOT_HASH, "key", "key", "not a PEM X.509 certificate" },
                { ROOT_HASH, "key", "other-cert", "does not belong to the certificate" },
                { ROOT_HASH, "fifo", "cert", "not a regular file" },
        };
        _cleanup_free_ char *fifo = path_join(dir, "fifo");

        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *k = NULL, *c = NULL, *error = NULL;
                VeritySig s = {};

                k = streq(cases[i].key, "encrypted") ? strdup(enc_key_path) :
                    streq(cases[i].key, "fifo")      ? strdup(fifo) :
                    streq(cases[i].key, "cert")      ? strdup(cert_path) :
                                                       strjoin(dir, "/", cases[i].key, ".pem");
                c = streq(cases[i].cert, "key") ? strdup(key_path) : strjoin(dir, "/", cases[i].cert, ".pem");
                ck_assert_int_lt(verity_sig_sign(cases[i].root_hash, k, c, &s, &error), 0);
                ck_assert_msg(error && strstr(error, cases[i].error), "case %zu: %s", i, strna(error));
                ck_assert_ptr_null(s.der);
        }
}
END_TEST

START_TEST(test_parse_refused) {
        _cleanup_(verity_sig_done) VeritySig good = {};
        _cleanup_free_ char *error = NULL, *part = NULL;
        size_t n;
        static const struct {
                const char *text, *error;
        } cases[] = {
                { "{", "does not hold a JSON object" },
                { "{}x", "text after the JSON object" },
                { "[]", "not a PKCS#7 signature" }, /* not JSON: taken as DER */
                { "{\"signature\":\"AAAA\"}", "lacks \"rootHash\"" },
                { "{\"rootHash\":\"" ROOT_HASH "\"}", "lacks \"signature\"" },
                { "{\"rootHash\":\"ABCD\",\"signature\":\"AAAA\"}", "not a lowercase hexadecimal root hash" },
                { "{\"rootHash\":\"" ROOT_HASH "\",\"signature\":\"AAA\"}", "not Base64" },
                { "{\"rootHash\":\"" ROOT_HASH "\",\"signature\":\"AAAA\"}", "not a PKCS#7 signature" },
                { "{\"rootHash\":\"" ROOT_HASH "\",\"signature\":\"AAAA\",\"certificateFingerprint\":\"12\"}",
                  "not a hexadecimal SHA-256" },
                { "{\"rootHash\":\"" ROOT_HASH "\",\"signature\":\"AAAA\"} x", "text after the JSON object" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *e = NULL;
                VeritySig s = {};

                ck_assert_int_eq(verity_sig_parse(cases[i].text, strlen(cases[i].text), &s, &e), -EBADMSG);
                ck_assert_msg(e && strstr(e, cases[i].error), "case %zu: %s", i, strna(e));
        }

        /* A good partition with something behind the padding; an empty one; a DER that is cut short. */
        ck_assert_int_eq(verity_sig_sign(ROOT_HASH, key_path, cert_path, &good, &error), 0);
        ck_assert_int_eq(verity_sig_to_partition(&good, &part, &n), 0);
        part[n - 1] = 'x';
        {
                _cleanup_free_ char *e = NULL;
                VeritySig s = {};

                ck_assert_int_eq(verity_sig_parse(part, n, &s, &e), -EBADMSG);
                ck_assert_ptr_nonnull(strstr(e, "data after the padding"));
                e = mfree(e);
                ck_assert_int_eq(verity_sig_parse(part, 0, &s, &e), -EBADMSG);
                e = mfree(e);
                ck_assert_int_eq(verity_sig_parse(good.der, good.der_size - 1, &s, &e), -EBADMSG);
                ck_assert_ptr_nonnull(strstr(e, "not a PKCS#7 signature"));
        }
}
END_TEST

/* A GPT disk image with sfdisk (no loop device needed): a usr partition and a signature partition. */
static char *make_disk(const char *name, bool with_sig, const char *content, size_t n) {
        char *img = path_join(dir, name);
        _cleanup_free_ char *cmd = NULL;
        FILE *f;
        int fd;

        fd = open(img, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(ftruncate(fd, 8 << 20), 0);
        close(fd);
        cmd = strprintf("sfdisk --quiet --no-reread --no-tell-kernel '%s' >/dev/null", img);
        f = popen(cmd, "we");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "label: gpt\n");
        fprintf(f, "start=2048, size=4096, type=8484680c-9521-48c6-9c11-b0720656f69e\n");
        if (with_sig)
                fprintf(f, "start=6144, size=2048, type=%s\n", verity_sig_usr_partition_type());
        ck_assert_int_eq(pclose(f), 0);
        if (content) {
                fd = open(img, O_WRONLY | O_CLOEXEC);
                ck_assert_int_ge(fd, 0);
                ck_assert_int_eq(pwrite(fd, content, n, 6144 * 512), (ssize_t) n);
                close(fd);
        }
        return img;
}

START_TEST(test_read_partition) {
        _cleanup_(verity_sig_done) VeritySig s = {}, t = {};
        _cleanup_free_ char *error = NULL, *part = NULL, *buf = NULL, *with = NULL, *without = NULL, *other = NULL;
        size_t n, m;

        ck_assert_ptr_nonnull(verity_sig_usr_partition_type());
        ck_assert_int_eq(verity_sig_sign(ROOT_HASH, key_path, cert_path, &s, &error), 0);
        ck_assert_int_eq(verity_sig_to_partition(&s, &part, &n), 0);

        /* Found by its type, read (1 MiB partition, bounded to 64 KiB), and parsed back. */
        with = make_disk("with.img", true, part, n);
        ck_assert_int_eq(verity_sig_read_partition(with, verity_sig_usr_partition_type(), &buf, &m), 0);
        ck_assert_uint_eq(m, VERITY_SIG_PARTITION_MAX);
        ck_assert_int_eq(verity_sig_parse(buf, m, &t, &error), 0);
        ck_assert_str_eq(t.root_hash, ROOT_HASH);
        ck_assert_mem_eq(t.der, s.der, s.der_size);
        buf = mfree(buf);

        /* No such partition; not a partitioned disk at all; not a disk. */
        without = make_disk("without.img", false, NULL, 0);
        ck_assert_int_eq(verity_sig_read_partition(without, verity_sig_usr_partition_type(), &buf, &m), -ENOENT);
        ck_assert_int_eq(verity_sig_read_partition(key_path, verity_sig_usr_partition_type(), &buf, &m), -ENOENT);
        ck_assert_int_eq(verity_sig_read_partition(dir, verity_sig_usr_partition_type(), &buf, &m), -EBADFD);
        ck_assert_int_eq(verity_sig_partition_disk(with, &other), -ENOTBLK);
        ck_assert_int_eq(verity_sig_partition_disk("/nonexistent", &other), -ENOENT);
}
END_TEST

/* ---- the execution policy ---- */

START_TEST(test_ipe_version) {
        static const char *const good[] = { "0.0.0", "1.2.3", "65535.65535.65535", "10.0.1" };
        static const char *const bad[] = { "",     "1",      "1.2",    "1.2.3.4", "1.2.65536", "01.2.3",
                                           "1..3", "1.2.3 ", "-1.2.3", "a.b.c",   "1.2.3x",    "999999.0.0" };

        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                ck_assert_msg(ipe_version_is_valid(good[i]), "%s", good[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(!ipe_version_is_valid(bad[i]), "%s", bad[i]);
}
END_TEST

START_TEST(test_ipe_compile) {
        char *hashes[] = { (char *) "sha256:" ROOT_HASH,
                           (char *) "sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", NULL };
        char *digests[] = { (char *) "sha256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100", NULL };
        Profile p = {
                .usr = { .verity = VERITY_REQUIRED, .signature = SIGNATURE_REQUIRED },
                .exec = { .mode = EXEC_ENFORCE, .allow_verity_root_hashes = hashes, .allow_fsverity_digests = digests },
        };
        _cleanup_free_ char *a = NULL, *b = NULL, *error = NULL;
        _cleanup_(ipe_policy_header_done) IpePolicyHeader h = {};

        ck_assert_int_eq(ipe_policy_compile(&p, NULL, "3.2.1", &a, &error), 0);
        ck_assert_str_eq(
                a,
                "policy_name=hardenctl policy_version=3.2.1\n"
                "DEFAULT action=ALLOW\n"
                "DEFAULT op=EXECUTE action=DENY\n"
                "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
                "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"
                "op=EXECUTE dmverity_roothash=sha256:" ROOT_HASH " action=ALLOW\n"
                "op=EXECUTE dmverity_roothash=sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff action=ALLOW\n"
                "op=EXECUTE fsverity_digest=sha256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100 action=ALLOW\n");
        ck_assert_int_eq(ipe_policy_parse_header(a, &h), 0);
        ck_assert_str_eq(h.name, IPE_POLICY_NAME);
        ck_assert_str_eq(h.version, "3.2.1");

        /* /usr pinned (given in upper case): no signature rule, and the same hash in the list only once. */
        {
                char upper[] = ROOT_HASH;

                for (char *c = upper; *c; c++)
                        *c = (char) toupper((unsigned char) *c);
                ck_assert_int_eq(ipe_policy_compile(&p, upper, "3.2.1", &b, &error), 0);
        }
        ck_assert_ptr_null(strstr(b, "dmverity_signature"));
        ck_assert_ptr_nonnull(strstr(b, "dmverity_roothash=sha256:" ROOT_HASH " action=ALLOW\n"));
        ck_assert_ptr_null(strstr(strstr(b, ROOT_HASH) + 1, ROOT_HASH));

        /* Nothing would allow /usr: refused. */
        p.usr.signature = SIGNATURE_OFF;
        ck_assert_int_eq(ipe_policy_compile(&p, NULL, "3.2.1", &b, &error), -EINVAL);
        ck_assert_ptr_nonnull(strstr(error, "/usr would not be allowed to execute"));
        error = mfree(error);
        ck_assert_int_eq(ipe_policy_compile(&p, ROOT_HASH "00", "3.2.1", &b, &error), -EINVAL);
        error = mfree(error);
        ck_assert_int_eq(ipe_policy_compile(&p, ROOT_HASH, "3.2", &b, &error), -EINVAL);
        ck_assert_ptr_nonnull(strstr(error, "is not a policy version"));
}
END_TEST

START_TEST(test_ipe_header_refused) {
        static const char *const bad[] = {
                "",
                "policy_name=x",
                "policy_version=1.2.3",
                "policy_name= policy_version=1.2.3",
                "policy_name=x policy_version=1.2",
                "policy_name=x policy_version=1.2.3 extra=1",
                "policy_name=x policy_name=y policy_version=1.2.3",
                "DEFAULT action=ALLOW\npolicy_name=x policy_version=1.2.3",
        };
        _cleanup_(ipe_policy_header_done) IpePolicyHeader h = {};

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(ipe_policy_parse_header(bad[i], &h) == -EBADMSG, "%s", bad[i]);
        ck_assert_int_eq(ipe_policy_parse_header("policy_version=0.0.1  policy_name=a-b\nDEFAULT action=ALLOW\n", &h), 0);
        ck_assert_str_eq(h.name, "a-b");
        ck_assert_str_eq(h.version, "0.0.1");
}
END_TEST

START_TEST(test_pkcs7_embedded) {
        static const char text[] = "policy_name=hardenctl policy_version=1.0.0\nDEFAULT action=ALLOW\n";
        _cleanup_(pkcs7_signature_done) Pkcs7Signature s = {}, d = {};
        _cleanup_free_ char *error = NULL, *back = NULL;
        size_t n = 0;

        ck_assert_int_eq(pkcs7_sign(text, strlen(text), key_path, cert_path, 0, &s, &error), 0);
        ck_assert_int_eq(pkcs7_embedded_data(s.der, s.der_size, &back, &n), 0);
        ck_assert_uint_eq(n, strlen(text));
        ck_assert_str_eq(back, text);
        /* Verifies with the certificate it carries, and has no signed attributes. */
        {
                const unsigned char *p = s.der;
                PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long) s.der_size);
                BIO *out = BIO_new(BIO_s_mem());
                PKCS7_SIGNER_INFO *si;

                ck_assert_ptr_nonnull(p7);
                ck_assert_int_eq(sk_X509_num(p7->d.sign->cert), 1);
                si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0);
                ck_assert_ptr_nonnull(si);
                ck_assert_int_le(sk_X509_ATTRIBUTE_num(si->auth_attr), 0);
                ck_assert_int_eq(PKCS7_verify(p7, NULL, NULL, NULL, out, PKCS7_NOVERIFY | PKCS7_BINARY), 1);
                BIO_free(out);
                PKCS7_free(p7);
        }

        /* A detached signature carries no data; nor does what is not DER, or has bytes after it. */
        ck_assert_int_eq(pkcs7_sign(text, strlen(text), key_path, cert_path, PKCS7_SIGN_DETACHED, &d, &error), 0);
        ck_assert_int_eq(pkcs7_embedded_data(d.der, d.der_size, &back, &n), -EBADMSG);
        ck_assert_int_eq(pkcs7_embedded_data(text, strlen(text), &back, &n), -EBADMSG);
        ck_assert_int_eq(pkcs7_embedded_data(s.der, s.der_size - 1, &back, &n), -EBADMSG);
        ck_assert_int_eq(pkcs7_embedded_data(s.der, 0, &back, &n), -EBADMSG);
}
END_TEST

/* The signer named by the certificate a signature carries; not by a claim beside it. */
START_TEST(test_pkcs7_signer) {
        _cleanup_(verity_sig_done) VeritySig s = {}, t = {};
        _cleanup_free_ char *error = NULL, *fingerprint = NULL, *key_id = NULL, *other = NULL;

        ck_assert_int_eq(verity_sig_sign(ROOT_HASH, key_path, cert_path, &s, &error), 0);
        ck_assert_int_eq(pkcs7_signer(s.der, s.der_size, &fingerprint, &key_id), 0);
        ck_assert_str_eq(fingerprint, s.certificate_fingerprint);
        ck_assert_int_eq(pkcs7_certificate_fingerprint(cert_path, &other, &error), 0);
        ck_assert_str_eq(fingerprint, other);
        /* No subject key identifier: the kernel names the key by the serial's content octets. */
        ck_assert_str_eq(key_id, "0080");

        ck_assert_int_eq(verity_sig_sign(ROOT_HASH, other_key_path, other_cert_path, &t, &error), 0);
        fingerprint = mfree(fingerprint);
        key_id = mfree(key_id);
        ck_assert_int_eq(pkcs7_signer(t.der, t.der_size, &fingerprint, &key_id), 0);
        ck_assert_str_eq(fingerprint, t.certificate_fingerprint);
        ck_assert_str_ne(fingerprint, s.certificate_fingerprint);
        ck_assert_str_eq(key_id, OTHER_SKID);

        /* What is not a signature, or is cut short. */
        ck_assert_int_eq(pkcs7_signer(ROOT_HASH, strlen(ROOT_HASH), &fingerprint, NULL), -EBADMSG);
        ck_assert_int_eq(pkcs7_signer(s.der, s.der_size - 1, &fingerprint, NULL), -EBADMSG);
        ck_assert_int_eq(pkcs7_signer(s.der, 0, &fingerprint, NULL), -EBADMSG);

        /* A signature without its certificate (openssl smime -nocerts, older signers) names no signer. */
        {
                FILE *kf = fopen(key_path, "re"), *cf = fopen(cert_path, "re");
                EVP_PKEY *key = kf ? PEM_read_PrivateKey(kf, NULL, NULL, NULL) : NULL;
                X509 *cert = cf ? PEM_read_X509(cf, NULL, NULL, NULL) : NULL;
                BIO *in = BIO_new_mem_buf(ROOT_HASH, (int) strlen(ROOT_HASH));
                PKCS7 *p7;
                unsigned char *der = NULL;
                int n;

                ck_assert_ptr_nonnull(key);
                ck_assert_ptr_nonnull(cert);
                p7 = PKCS7_sign(cert, key, NULL, in, PKCS7_BINARY | PKCS7_NOATTR | PKCS7_DETACHED | PKCS7_NOCERTS);
                ck_assert_ptr_nonnull(p7);
                n = i2d_PKCS7(p7, &der);
                ck_assert_int_gt(n, 0);
                ck_assert_int_eq(pkcs7_signer(der, (size_t) n, &fingerprint, NULL), -ENOKEY);
                OPENSSL_free(der);
                PKCS7_free(p7);
                BIO_free(in);
                X509_free(cert);
                EVP_PKEY_free(key);
                fclose(kf);
                fclose(cf);
        }
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("verity-sig");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_sign);
        tcase_add_test(tc, test_sign_refused);
        tcase_add_test(tc, test_parse_refused);
        tcase_add_test(tc, test_read_partition);
        tcase_add_test(tc, test_ipe_version);
        tcase_add_test(tc, test_ipe_compile);
        tcase_add_test(tc, test_ipe_header_refused);
        tcase_add_test(tc, test_pkcs7_embedded);
        tcase_add_test(tc, test_pkcs7_signer);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
