/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* posture_read() against fixture trees (securityfs, selinuxfs, lockdown, the SecureBoot variable), and
 * the parsers of what only the live kernel says (the dm-verity table). */

#include <fcntl.h>
#include <linux/keyctl.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "digest.h"
#include "kernel-util.h"
#include "posture-internal.h"
#include "tests.h"
#include "test-x509.h"
#include "verity-dm.h"

/* Bytes (test_write() takes text) to ROOT/PATH, creating parent directories. */
static void put(const char *root, const char *path, const void *data, size_t n) {
        _cleanup_free_ char *p = path_join(root, path);
        FILE *f;

        ck_assert_ptr_nonnull(p);
        test_write(root, path, "");
        f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(data, 1, n, f), n);
        ck_assert_int_eq(fclose(f), 0);
}

#define PUT(root, path, text) put(root, path, text, strlen(text))

START_TEST(test_fixture_full) {
        _cleanup_(posture_done) Posture p = {};
        static const uint8_t sb[] = { 0x06, 0, 0, 0, 1 };
        static const char der[] = "not really DER, but hashed as it is";
        char hex[65], want[80];
        char *root = test_tmpdir();

        PUT(root, "sys/kernel/security/ipe/enforce", "1\n");
        PUT(root, "sys/kernel/security/ipe/policies/old/active", "0\n");
        PUT(root, "sys/kernel/security/ipe/policies/old/version", "0.0.1\n");
        PUT(root, "sys/kernel/security/ipe/policies/hardenctl/active", "1\n");
        PUT(root, "sys/kernel/security/ipe/policies/hardenctl/version", "1.2.3\n");
        put(root, "sys/kernel/security/ipe/policies/hardenctl/pkcs7", der, sizeof(der) - 1);
        PUT(root, "sys/fs/selinux/enforce", "0");
        PUT(root, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        put(root, "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", sb, sizeof(sb));

        ck_assert_int_eq(posture_read(root, &p), 0);
        ck_assert(p.ipe_available);
        ck_assert(p.ipe_enforce);
        ck_assert_str_eq(p.ipe_policy, "hardenctl");
        ck_assert_str_eq(p.ipe_version, "1.2.3");
        ck_assert_int_eq(sha256_hex(der, sizeof(der) - 1, hex), 0);
        snprintf(want, sizeof(want), "sha256:%s", hex);
        ck_assert_str_eq(p.ipe_digest, want);
        ck_assert_int_eq(p.selinux, POSTURE_SELINUX_PERMISSIVE);
        ck_assert_int_eq(p.lockdown, POSTURE_LOCKDOWN_INTEGRITY);
        ck_assert(p.secure_boot);
        /* Only the live kernel says these: unknown below another root. */
        ck_assert_ptr_null(p.usr_root_hash);
        ck_assert(!p.audit_locked);
        ck_assert_int_eq(p.unknown, POSTURE_UNKNOWN_USR | POSTURE_UNKNOWN_AUDIT_LOCKED);
        test_tmpdir_remove(root);
}
END_TEST

START_TEST(test_fixture_empty) {
        _cleanup_(posture_done) Posture p = {};
        char *root = test_tmpdir();

        ck_assert_int_eq(posture_read(root, &p), 0);
        ck_assert(!p.ipe_available);
        ck_assert_ptr_null(p.ipe_policy);
        ck_assert_int_eq(p.selinux, POSTURE_SELINUX_DISABLED);
        ck_assert_int_eq(p.lockdown, POSTURE_LOCKDOWN_NONE);
        ck_assert(!p.secure_boot);
        posture_done(&p);

        /* IPE without a policy, enforcement off; SELinux enforcing; an unreadable lockdown. */
        PUT(root, "sys/kernel/security/ipe/enforce", "0\n");
        PUT(root, "sys/fs/selinux/enforce", "1");
        PUT(root, "sys/kernel/security/lockdown", "none integrity\n");
        ck_assert_int_eq(posture_read(root, &p), 0);
        ck_assert(p.ipe_available);
        ck_assert(!p.ipe_enforce);
        ck_assert_ptr_null(p.ipe_policy);
        ck_assert_int_eq(p.selinux, POSTURE_SELINUX_ENFORCING);
        ck_assert_int_eq(p.lockdown, POSTURE_LOCKDOWN_NONE);
        ck_assert_int_eq(p.unknown & ~(POSTURE_UNKNOWN_USR | POSTURE_UNKNOWN_AUDIT_LOCKED), POSTURE_UNKNOWN_LOCKDOWN);
        test_tmpdir_remove(root);

        ck_assert_int_eq(posture_read("/nonexistent-root", &p), -ENOENT);
}
END_TEST

#define HASH_UPPER "85F0D6C603C3AEC6C78D4AAD0E42FDBC9D227900CC5764D24A276B615E5A9AC2"

START_TEST(test_verity_table) {
        _cleanup_(posture_done) Posture p = {};
        bool b = true;
        static const uint8_t off[] = { 0x06, 0, 0, 0, 0 };

        ck_assert_int_eq(posture_parse_verity_table("1 259:2 259:3 4096 4096 25600 1 sha256 "
                                                    "85F0D6C603C3AEC6C78D4AAD0E42FDBC9D227900CC5764D24A276B615E5A9AC2 "
                                                    "aabb 3 root_hash_sig_key_desc cryptsetup:0123 panic_on_corruption",
                                                    &p),
                         0);
        ck_assert_str_eq(p.usr_root_hash, "85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2");
        ck_assert(p.usr_signed);
        ck_assert_ptr_null(p.usr_signer); /* the key description names the signature blob, not the signer */

        ck_assert_int_eq(posture_parse_verity_table(
                                 "1 259:2 259:3 4096 4096 25600 1 sha256 00112233445566778899aabbccddeeff -", &p),
                         0);
        ck_assert(!p.usr_signed);
        ck_assert_ptr_null(p.usr_signer);

        /* What the compliance probes take of it as well: the hash, and what the kernel does on corruption. */
        {
                _cleanup_(verity_table_done) VerityTable t = {}, u = {};

                ck_assert_int_eq(verity_table_parse("1 259:2 259:3 4096 4096 25600 1 sha512 " HASH_UPPER
                                                    " aabb 3 root_hash_sig_key_desc cryptsetup:0123 panic_on_corruption",
                                                    &t),
                                 0);
                ck_assert_str_eq(t.algorithm, "sha512");
                ck_assert_str_eq(t.on_corruption, "panic");
                ck_assert_str_eq(t.signature_key, "cryptsetup:0123");
                ck_assert_str_eq(t.root_hash, "85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2");
                ck_assert_int_eq(verity_table_parse("1 a b 4096 4096 1 1 sha256 00112233445566778899aabbccddeeff - 1 "
                                                    "restart_on_corruption",
                                                    &u),
                                 0);
                ck_assert_str_eq(u.on_corruption, "restart");
                ck_assert_ptr_null(u.signature_key);
                verity_table_done(&u);
                ck_assert_int_eq(verity_table_parse("1 a b 4096 4096 1 1 sha256 00112233445566778899aabbccddeeff -", &u),
                                 0);
                ck_assert_str_eq(u.on_corruption, "eio");
        }

        ck_assert_int_eq(posture_parse_verity_table("1 259:2 259:3 4096", &p), -EBADMSG);
        ck_assert_int_eq(posture_parse_verity_table("1 a b 4096 4096 1 1 sha256 nothex -", &p), -EBADMSG);
        ck_assert_int_eq(posture_parse_verity_table("1 a b 4096 4096 1 1 sha256 00112233445566778899aabbccddeeff - x", &p),
                         -EBADMSG);
        ck_assert_int_eq(
                posture_parse_verity_table("1 a b 4096 4096 1 1 sha256 00112233445566778899aabbccddeeff - 2 a", &p),
                -EBADMSG);

        ck_assert_int_eq(posture_parse_secure_boot(off, sizeof(off), &b), 0);
        ck_assert(!b);
        ck_assert_int_eq(posture_parse_secure_boot(off, 4, &b), -EBADMSG);
}
END_TEST

#define HASH "85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2"
#define FP "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

/* The signer comes from hardenctl-verity's record, and only for the activation the dm table shows. */
/* The live reader asks device-mapper for a name that is not there: -ENXIO (so it is when there is no
 * device-mapper at all), as the posture record and the check take it; a name device-mapper could not hold
 * is never asked for. Without CAP_SYS_ADMIN the kernel refuses the question itself. */
START_TEST(test_verity_dm_absent) {
        _cleanup_(verity_table_done) VerityTable t = {};
        _cleanup_free_ char *status = NULL, *long_name = NULL;
        int r;

        r = verity_dm_read("hardenctl-test-no-such-device", &t, &status);
        if (geteuid() == 0)
                ck_assert_int_eq(r, -ENXIO);
        else
                ck_assert(r == -ENXIO || r == -EACCES || r == -EPERM);
        ck_assert_ptr_null(status);
        ck_assert_ptr_null(t.root_hash);

        long_name = malloc(200);
        ck_assert_ptr_nonnull(long_name);
        memset(long_name, 'x', 199);
        long_name[199] = 0;
        r = verity_dm_read(long_name, &t, &status);
        ck_assert(r == -ENXIO || r == -EACCES || r == -EPERM);
}
END_TEST

START_TEST(test_usr_signer) {
        _cleanup_(posture_done) Posture p = {}, q = {};
        _cleanup_free_ char *record = NULL, *h = NULL, *f = NULL, *k = NULL, *json = NULL, *error = NULL,
                            *unknown_keyring = NULL;

        ck_assert_int_eq(posture_usr_signer_to_json(HASH, FP, ".platform", &record), 0);
        ck_assert_int_eq(posture_usr_signer_from_json(record, &h, &f, &k), 0);
        ck_assert_str_eq(h, HASH);
        ck_assert_str_eq(f, FP);
        ck_assert_str_eq(k, ".platform");
        /* No keyring known: null, and back as NULL. */
        ck_assert_int_eq(posture_usr_signer_to_json(HASH, FP, NULL, &unknown_keyring), 0);
        ck_assert_ptr_nonnull(strstr(unknown_keyring, "\"keyring\":null"));
        h = mfree(h);
        f = mfree(f);
        k = mfree(k);
        ck_assert_int_eq(posture_usr_signer_from_json(unknown_keyring, &h, &f, &k), 0);
        ck_assert_ptr_null(k);

        ck_assert_int_eq(posture_parse_verity_table("1 259:2 259:3 4096 4096 25600 1 sha256 " HASH
                                                    " aabb 2 root_hash_sig_key_desc cryptsetup:0123",
                                                    &p),
                         0);
        ck_assert_int_eq(posture_apply_usr_signer(record, &p), 0);
        ck_assert_str_eq(p.usr_signer, FP);
        ck_assert_str_eq(p.usr_keyring, ".platform");

        /* In the record, and back: what attest golden compares. */
        ck_assert_int_eq(posture_to_json(&p, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"signer\":\"" FP "\""));
        ck_assert_ptr_nonnull(strstr(json, "\"keyring\":\".platform\""));
        ck_assert_int_eq(posture_from_json(json, &q, &error), 0);
        ck_assert_str_eq(q.usr_signer, FP);
        ck_assert_str_eq(q.usr_keyring, ".platform");

        /* Another root hash, an unsigned /usr, a malformed record: no signer. */
        posture_done(&p);
        ck_assert_int_eq(posture_parse_verity_table("1 a b 4096 4096 1 1 sha256 00112233445566778899aabbccddeeff - "
                                                    "2 root_hash_sig_key_desc cryptsetup:1",
                                                    &p),
                         0);
        ck_assert_int_eq(posture_apply_usr_signer(record, &p), -ESTALE);
        ck_assert_ptr_null(p.usr_signer);
        posture_done(&p);
        ck_assert_int_eq(posture_parse_verity_table("1 a b 4096 4096 1 1 sha256 " HASH " -", &p), 0);
        ck_assert_int_eq(posture_apply_usr_signer(record, &p), -ESTALE);
        ck_assert_int_eq(posture_apply_usr_signer("{\"rootHash\":\"" HASH "\"}", &p), -EBADMSG);
        ck_assert_int_eq(posture_apply_usr_signer("{\"rootHash\":\"" HASH "\",\"certificateFingerprint\":\"AB\"}", &p),
                         -EBADMSG);
        ck_assert_int_eq(posture_apply_usr_signer(
                                 "{\"rootHash\":\"" HASH "\",\"certificateFingerprint\":\"" FP "\",\"keyring\":1}", &p),
                         -EBADMSG);
}
END_TEST

/* /proc/keys as the kernel prints it: the keyrings found by name, not by a prefix of it. */
START_TEST(test_keyring_find) {
        static const char keys[] = "0b6d2a3e I------     1 perm 1f0b0000     0     0 keyring   .builtin_trusted_keys: 1\n"
                                   "1c0ffee1 I------     2 perm 1f0f0000     0     0 keyring   .platformx: empty\n"
                                   "2e4b9f11 I------     1 perm 1f0b0000     0     0 keyring   .platform: 3\n"
                                   "30d5a7c2 I------     1 perm 1f030000     0     0 asymmetric hardenctl test: 0a0b\n";
        int32_t serial = 0;

        ck_assert_int_eq(kernel_keyring_find(keys, ".platform", &serial), 0);
        ck_assert_int_eq(serial, 0x2e4b9f11);
        ck_assert_int_eq(kernel_keyring_find(keys, ".builtin_trusted_keys", &serial), 0);
        ck_assert_int_eq(serial, 0x0b6d2a3e);
        ck_assert_int_eq(kernel_keyring_find(keys, ".machine", &serial), -ENOKEY);
        ck_assert_int_eq(kernel_keyring_find(keys, "hardenctl test", &serial), -ENOKEY); /* a key, not a keyring */
        ck_assert_int_eq(kernel_keyring_find("", ".platform", &serial), -ENOKEY);
        ck_assert_int_eq(kernel_keyring_find("2e4b9f11 I------ 1 perm\n", ".platform", &serial), -ENOKEY);
        /* A line that does not parse does not hide the others. */
        ck_assert_int_eq(
                kernel_keyring_find("garbage\n2e4b9f11 I------     1 perm 1f0b0000     0     0 keyring   .platform: 3\n",
                                    ".platform", &serial),
                0);
        ck_assert_int_eq(serial, 0x2e4b9f11);
}
END_TEST

/* The kernel's keyrings for real: a keyring of this test's own (in its process keyring, gone with it),
 * which holds a key described "SUBJECT: ID" as the kernel describes a certificate's key. A "user" key
 * stands in for it: adding an X.509 key needs the kernel's parser; what is matched is the type and the
 * description. */
START_TEST(test_keyring_holding) {
        char name[64];
        const char *found = NULL;
        long ring, key;

        snprintf(name, sizeof(name), "hardenctl-test-%d", (int) getpid());
        ring = syscall(SYS_add_key, "keyring", name, NULL, 0, KEY_SPEC_PROCESS_KEYRING);
        if (ring < 0 && (errno == ENOSYS || errno == EPERM || errno == EACCES)) {
                fprintf(stderr, "no keyrings here (%s): the keyring lookup not tried\n", strerror(errno));
                return;
        }
        ck_assert_int_ge(ring, 0);
        key = syscall(SYS_add_key, "user", "hardenctl test: 0a0b0c", "x", 1, (int32_t) ring);
        ck_assert_int_ge(key, 0);

        /* A user key is not a certificate's key: not found. */
        ck_assert_int_eq(kernel_keyring_holding((const char *const[]){ name, NULL }, "0a0b0c", &found), -ENOKEY);

        /* An asymmetric key, if this kernel parses X.509 certificates: the test's own. */
        {
                /* RSA: the kernel verifies the self-signature as it adds the key, and has RSA built in
                 * where ECDSA may be a module that is not loaded. */
                EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
                X509 *cert = test_x509_self_signed(pkey, NULL, "hardenctl keyring test", 7, "5e0c1d2b");
                unsigned char *der = NULL;
                int n;

                n = i2d_X509(cert, &der);
                ck_assert_int_gt(n, 0);
                key = syscall(SYS_add_key, "asymmetric", NULL, der, (size_t) n, (int32_t) ring);
                OPENSSL_free(der);
                X509_free(cert);
                EVP_PKEY_free(pkey);
        }
        if (key < 0) {
                fprintf(stderr, "no X.509 key in the kernel (%s): the asymmetric match not tried\n", strerror(errno));
                return;
        }
        ck_assert_int_eq(
                kernel_keyring_holding((const char *const[]){ ".hardenctl-none", name, NULL }, "5e0c1d2b", &found), 0);
        ck_assert_str_eq(found, name);
        ck_assert_int_eq(kernel_keyring_holding((const char *const[]){ name, NULL }, "5E0C1D2B", &found), 0);
        ck_assert_int_eq(kernel_keyring_holding((const char *const[]){ name, NULL }, "0c1d2b", &found), -ENOKEY);
        ck_assert_int_eq(kernel_keyring_holding((const char *const[]){ name, NULL }, "ff5e0c1d2b", &found), -ENOKEY);
}
END_TEST

/* What could not be read is said, as null and in "unknown", and read back. */
START_TEST(test_unknown) {
        _cleanup_(posture_done) Posture p = { .unknown = POSTURE_UNKNOWN_USR | POSTURE_UNKNOWN_SELINUX |
                                                         POSTURE_UNKNOWN_PROFILE_DIGEST },
                                        q = {};
        _cleanup_free_ char *json = NULL, *error = NULL;

        ck_assert_int_eq(posture_to_json(&p, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"selinux\":null"));
        ck_assert_ptr_nonnull(strstr(json, "\"unknown\":[\"usr\",\"selinux\",\"profileDigest\"]"));
        ck_assert_int_eq(posture_from_json(json, &q, &error), 0);
        ck_assert_int_eq(q.unknown, p.unknown);
        ck_assert_int_eq(posture_from_json("{\"unknown\":[\"everything\"]}", &q, &error), -EBADMSG);
        ck_assert_ptr_nonnull(strstr(error, "unknown[0]"));
}
END_TEST

START_TEST(test_strings) {
        ck_assert_str_eq(posture_selinux_to_string(POSTURE_SELINUX_ENFORCING), "enforcing");
        ck_assert_int_eq(posture_selinux_from_string("permissive"), POSTURE_SELINUX_PERMISSIVE);
        ck_assert_int_eq(posture_selinux_from_string("on"), _POSTURE_SELINUX_INVALID);
        ck_assert_str_eq(posture_lockdown_to_string(POSTURE_LOCKDOWN_CONFIDENTIALITY), "confidentiality");
        ck_assert_int_eq(posture_lockdown_from_string("none"), POSTURE_LOCKDOWN_NONE);
        ck_assert_ptr_null(posture_lockdown_to_string(_POSTURE_LOCKDOWN_MAX));
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("posture");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fixture_full);
        tcase_add_test(tc, test_fixture_empty);
        tcase_add_test(tc, test_verity_table);
        tcase_add_test(tc, test_verity_dm_absent);
        tcase_add_test(tc, test_usr_signer);
        tcase_add_test(tc, test_keyring_find);
        tcase_add_test(tc, test_keyring_holding);
        tcase_add_test(tc, test_unknown);
        tcase_add_test(tc, test_strings);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
