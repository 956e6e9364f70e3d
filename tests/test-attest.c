/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Attestation without a TPM: the posture record's JSON, the events and the event log, replay, golden
 * values. The expected PCR values are computed here with libcrypto from the event strings, apart from the
 * code under test. Quotes: test-attest-quote.c. */

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attest-event.h"
#include "attest-fixture.h"
#include "attest-golden.h"
#include "attest-tpm.h"
#include "attest-verify.h"
#include "digest.h"
#include "fs-util.h"
#include "json-util.h"
#include "profile-load.h"
#include "strv.h"
#include "pkcs7-sign.h"
#include "tests.h"
#include "test-x509.h"

START_TEST(test_posture_roundtrip) {
        _cleanup_(posture_done) Posture p = {}, q = {};
        _cleanup_free_ char *text = NULL, *again = NULL, *error = NULL;

        full_posture(&p);
        ck_assert_str_eq(p.usr_root_hash, ROOT_HASH);
        ck_assert(p.usr_verified && p.usr_signed && p.ipe_available && p.ipe_enforce && p.audit_locked);
        ck_assert(!p.secure_boot);
        ck_assert_str_eq(p.usr_signer, SIGNER);
        ck_assert_str_eq(p.ipe_version, "0.0.1");
        ck_assert_int_eq(p.selinux, POSTURE_SELINUX_ENFORCING);
        ck_assert_int_eq(p.lockdown, POSTURE_LOCKDOWN_INTEGRITY);

        ck_assert_int_eq(posture_to_json(&p, &text), 0);
        ck_assert_int_eq(posture_from_json(text, &q, &error), 0);
        ck_assert_int_eq(posture_to_json(&q, &again), 0);
        ck_assert_str_eq(text, again);
}
END_TEST

START_TEST(test_posture_unknown_and_null) {
        _cleanup_(posture_done) Posture p = {}, q = {};
        _cleanup_free_ char *error = NULL, *text = NULL;

        /* Absent and null members are not known; a host without verity /usr has "usr": null. */
        ck_assert_int_eq(posture_from_json("{\"usr\":null,\"ipe\":{\"available\":false,\"digest\":null},"
                                           "\"selinux\":null}",
                                           &p, &error),
                         0);
        ck_assert_ptr_null(p.usr_root_hash);
        ck_assert_ptr_null(p.ipe_digest);
        ck_assert_int_eq(p.selinux, POSTURE_SELINUX_DISABLED);
        ck_assert_int_eq(posture_to_json(&p, &text), 0);
        ck_assert_ptr_nonnull(strstr(text, "\"usr\":null"));
        ck_assert_int_eq(posture_from_json(text, &q, NULL), 0);
}
END_TEST

START_TEST(test_posture_strict) {
        static const struct {
                const char *text;
                const char *error;
        } cases[] = {
                { "", "not a JSON document" },
                { "[]", "expected a JSON object" },
                { "{} x", "not a JSON document" },
                { "{\"usr\":{\"rootHash\":\"XYZ\"}}", "usr.rootHash: expected lowercase hexadecimal" },
                { "{\"usr\":{\"rootHash\":\"" ROOT_HASH "\",\"verified\":1}}", "usr.verified: expected true or false" },
                { "{\"usr\":{\"verified\":true}}", "usr.rootHash: missing" },
                { "{\"usr\":{\"rootHash\":\"" ROOT_HASH "\",\"device\":\"root\"}}", "usr.device: expected \"usr\"" },
                { "{\"usr\":[]}", "usr: expected an object or null" },
                { "{\"ipe\":{\"digest\":\"md5:00\"}}", "ipe.digest: expected sha256:" },
                { "{\"ipe\":{\"version\":\"1.2\"}}", "ipe.version: expected X.Y.Z" },
                { "{\"ipe\":{\"colour\":\"red\"}}", "unknown member ipe.colour" },
                { "{\"selinux\":\"strict\"}", "selinux: expected enforcing, permissive or disabled" },
                { "{\"lockdown\":true}", "lockdown: expected none, integrity or confidentiality" },
                { "{\"profileDigest\":\"sha256:AB\"}", "profileDigest: expected sha256:" },
                { "{\"auditLocked\":\"yes\"}", "auditLocked: expected true or false" },
                { "{\"extra\":1}", "unknown member extra" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(posture_done) Posture p = {};
                _cleanup_free_ char *error = NULL;

                ck_assert_msg(posture_from_json(cases[i].text, &p, &error) == -EBADMSG, "%s accepted", cases[i].text);
                ck_assert_msg(error && strstr(error, cases[i].error), "%s: \"%s\", expected \"%s\"", cases[i].text,
                              strempty(error), cases[i].error);
        }
}
END_TEST

/* The PCR after extending zeros with SHA-256 of each string, computed here. */
static void expected_pcr(char *const *strings, uint8_t ret[32]) {
        uint8_t v[64] = {};

        STRV_FOREACH(s, strings) {
                ck_assert_int_eq(EVP_Digest(*s, strlen(*s), v + 32, NULL, EVP_sha256(), NULL), 1);
                ck_assert_int_eq(EVP_Digest(v, 64, v, NULL, EVP_sha256(), NULL), 1);
        }
        memcpy(ret, v, 32);
}

static char *const full_strings[] = {
        (char *) "hardenctl-profile:" DIGEST_B,
        (char *) "hardenctl-usr:rootHash=" ROOT_HASH ";verified=yes;signed=yes;signer=" SIGNER,
        (char *) "hardenctl-ipe:digest=" DIGEST_A ";enforce=yes",
        (char *) "hardenctl-selinux:enforcing",
        (char *) "hardenctl-audit-lock:yes",
        NULL,
};

START_TEST(test_events_order_and_replay) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_(attest_log_done) AttestLog l = {}, none = {};
        uint8_t value[32], expect[32];
        Posture empty = { .selinux = POSTURE_SELINUX_PERMISSIVE };

        full_posture(&p);
        ck_assert_int_eq(attest_log_from_posture(&p, &l), 0);
        ck_assert_int_eq(l.n, 5);
        for (size_t i = 0; i < l.n; i++) {
                ck_assert_str_eq(l.events[i].string, full_strings[i]);
                ck_assert_int_eq(l.events[i].kind, (int) i);
                ck_assert_int_eq(l.events[i].pcr, 8);
        }
        ck_assert_int_eq(attest_log_replay(&l, ATTEST_PCR, value), 0);
        expected_pcr(full_strings, expect);
        ck_assert_mem_eq(value, expect, 32);
        /* Another PCR has no events here: zeros. */
        ck_assert_int_eq(attest_log_replay(&l, 9, value), 0);
        ck_assert_mem_eq(value, (uint8_t[32]){}, 32);

        ck_assert_int_eq(attest_log_from_posture(&empty, &none), 0);
        ck_assert_str_eq(none.events[0].string, "hardenctl-profile:none");
        ck_assert_str_eq(none.events[1].string, "hardenctl-usr:none");
        ck_assert_str_eq(none.events[2].string, "hardenctl-ipe:none");
        ck_assert_str_eq(none.events[3].string, "hardenctl-selinux:permissive");
        ck_assert_str_eq(none.events[4].string, "hardenctl-audit-lock:no");
}
END_TEST

START_TEST(test_record_encoding) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_(attest_log_done) AttestLog l = {}, back = {};
        _cleanup_free_ char *rec = NULL, *all = NULL, *error = NULL;

        full_posture(&p);
        ck_assert_int_eq(attest_log_from_posture(&p, &l), 0);
        ck_assert_int_eq(attest_event_to_record(l.events + 3, &rec), 0);
        /* systemd's record: RS, the object, newline; SHA-256("hardenctl-selinux:enforcing"). */
        ck_assert_str_eq(rec, "\x1e{\"pcr\":8,\"digests\":[{\"hashAlg\":\"sha256\",\"digest\":"
                              "\"eac124d9a412d5b818404bdde5aeb7e389cc83a6658dd8d776e395fca566629e\"}],"
                              "\"content_type\":\"systemd\",\"content\":{\"string\":\"hardenctl-selinux:enforcing\"}}\n");

        /* A log with a record of another writer (systemd's PCR 11 phase word) in between. */
        all = strdup("");
        for (size_t i = 0; i < l.n; i++) {
                _cleanup_free_ char *r = NULL;
                char *t;

                ck_assert_int_eq(attest_event_to_record(l.events + i, &r), 0);
                t = strjoin_real(all, r,
                                 i == 1 ? "\x1e{\"pcr\":11,\"digests\":[{\"hashAlg\":\"sha256\",\"digest\":\"" ROOT_HASH
                                          "\"}],\"content_type\":\"systemd\",\"content\":{\"string\":\"sysinit\","
                                          "\"eventType\":\"phase\"}}\n" :
                                          "",
                                 NULL);
                free(all);
                all = t;
        }
        ck_assert_int_eq(attest_log_parse(all, strlen(all), &back, &error), 0);
        ck_assert_int_eq(back.n, 6);
        ck_assert_int_eq(back.events[2].pcr, 11);
        ck_assert_int_lt(back.events[2].kind, 0);
        ck_assert_str_eq(back.events[5].string, "hardenctl-audit-lock:yes");
}
END_TEST

START_TEST(test_log_tampered) {
        static const char *const cases[][2] = {
                { "{\"pcr\":8}", "does not start with the record separator" },
                { "\x1e{\"pcr\":8,\"digests\":[]", "not JSON" },
                { "\x1e{\"pcr\":24,\"digests\":[]}", "not a PCR number" },
                { "\x1e{\"pcr\":8}", "\"digests\" missing" },
                { "\x1e{\"pcr\":8,\"digests\":[{\"hashAlg\":\"sha256\",\"digest\":\"00\"}]}", "not 64 hexadecimal" },
                /* the string changed, the digest not */
                { "\x1e{\"pcr\":8,\"digests\":[{\"hashAlg\":\"sha256\",\"digest\":"
                  "\"eac124d9a412d5b818404bdde5aeb7e389cc83a6658dd8d776e395fca566629e\"}],"
                  "\"content_type\":\"systemd\",\"content\":{\"string\":\"hardenctl-selinux:permissive\"}}\n",
                  "the digest is not SHA-256 of" },
                { "\x1e{\"pcr\":9,\"digests\":[{\"hashAlg\":\"sha256\",\"digest\":"
                  "\"eac124d9a412d5b818404bdde5aeb7e389cc83a6658dd8d776e395fca566629e\"}],"
                  "\"content_type\":\"systemd\",\"content\":{\"string\":\"hardenctl-selinux:enforcing\"}}\n",
                  "a hardenctl event on PCR 9" },
                { "\x1e{\"pcr\":8,\"digests\":[],\"content\":{\"string\":\"hardenctl-selinux:enforcing\"}}\n",
                  "without a sha256 digest" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(attest_log_done) AttestLog l = {};
                _cleanup_free_ char *error = NULL;

                ck_assert_int_eq(attest_log_parse(cases[i][0], strlen(cases[i][0]), &l, &error), -EBADMSG);
                ck_assert_msg(error && strstr(error, cases[i][1]), "case %zu: \"%s\"", i, strempty(error));
        }
}
END_TEST

START_TEST(test_golden_roundtrip) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_(attest_log_done) AttestLog l = {}, back = {}, bad = {};
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_free_ char *error = NULL;
        uint8_t expect[32];
        char hex[65];

        full_posture(&p);
        ck_assert_int_eq(attest_log_from_posture(&p, &l), 0);
        ck_assert_int_eq(attest_golden_to_json(&l, &j), 0);
        expected_pcr(full_strings, expect);
        hex_encode(expect, 32, hex);
        ck_assert_str_eq(json_object_get_string(json_object_object_get(j, "pcrValue")), hex);
        ck_assert_int_eq(json_object_get_int(json_object_object_get(j, "pcr")), 8);
        ck_assert_str_eq(json_object_get_string(json_object_object_get(
                                 json_object_array_get_idx(json_object_object_get(j, "events"), 2), "name")),
                         "ipe");
        ck_assert_int_eq(attest_golden_from_json(j, &back, &error), 0);
        ck_assert_int_eq(back.n, 5);
        ck_assert_str_eq(back.events[1].string, full_strings[1]);

        /* An edited event no longer gives the pcrValue. */
        json_object_object_add(json_object_array_get_idx(json_object_object_get(j, "events"), 3), "string",
                               json_object_new_string("hardenctl-selinux:permissive"));
        ck_assert_int_eq(attest_golden_from_json(j, &bad, &error), -EBADMSG);
        ck_assert_ptr_nonnull(strstr(error, "pcrValue is not what the events give"));
}
END_TEST

static void put_bytes(const char *path, const void *data, size_t n) {
        FILE *f = fopen(path, "we");

        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(data, 1, n, f), n);
        ck_assert_int_eq(fclose(f), 0);
}

static void write_cert(const char *path, const char *o, const char *cn, bool skid) {
        EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        X509 *cert = test_x509_self_signed(key, o, cn, 0x81, skid ? "0102ab" : NULL);
        FILE *f;

        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(PEM_write_X509(f, cert), 1);
        ck_assert_int_eq(fclose(f), 0);
        X509_free(cert);
        EVP_PKEY_free(key);
}

/* The signer attest golden names is the certificateFingerprint of the usr-verity signature partition:
 * SHA-256 of the certificate's DER, whether the file is PEM or DER. */
START_TEST(test_certificate_fingerprint) {
        char *dir = test_tmpdir();
        _cleanup_free_ char *a = path_join(dir, "a.pem"), *d = path_join(dir, "a.der"), *fa = NULL, *fd = NULL,
                            *error = NULL, *pem = NULL;
        unsigned char *der = NULL;
        char hex[65];
        X509 *x;
        FILE *f;
        int n;

        write_cert(a, "Example Org", "Image key", true);
        f = fopen(a, "re");
        ck_assert_ptr_nonnull(f);
        x = PEM_read_X509(f, NULL, NULL, NULL);
        ck_assert_ptr_nonnull(x);
        fclose(f);
        n = i2d_X509(x, &der);
        ck_assert_int_gt(n, 0);
        put_bytes(d, der, (size_t) n);
        ck_assert_int_eq(sha256_hex(der, (size_t) n, hex), 0);
        OPENSSL_free(der);
        X509_free(x);

        ck_assert_int_eq(pkcs7_certificate_fingerprint(a, &fa, &error), 0);
        ck_assert_int_eq(pkcs7_certificate_fingerprint(d, &fd, &error), 0);
        ck_assert_str_eq(fa, hex);
        ck_assert_str_eq(fd, hex);
        ck_assert_int_lt(pkcs7_certificate_fingerprint(dir, &fd, &error), 0); /* not a file */
        error = mfree(error);
        test_write(dir, "junk.pem", "not a certificate\n");
        pem = path_join(dir, "junk.pem");
        ck_assert_int_eq(pkcs7_certificate_fingerprint(pem, &fd, &error), -EINVAL);
        ck_assert_ptr_nonnull(strstr(error, "not an X.509 certificate"));
        test_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_golden_from_profile) {
        char *dir = test_tmpdir();
        _cleanup_(profile_diags_done) ProfileDiags diags = {};
        _cleanup_(profile_freep) Profile *p = NULL, *q = NULL;
        _cleanup_(posture_done) Posture g = {}, h = {};
        _cleanup_(attest_log_done) AttestLog l = {};
        _cleanup_free_ char *digest = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        AttestGoldenInput in = { .root_hash = ROOT_HASH, .usr_signer = SIGNER, .ipe_digest = DIGEST_A };
        ProfileLoadOptions o;

        test_write(dir, "p/immutable.profile",
                   "[Usr]\nVerity=required\nSignature=required\n[SELinux]\nMode=enforcing\n[Audit]\nImmutable=yes\n");
        test_write(dir, "p/plain.profile", "[Profile]\nDescription=plain\n");
        root_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(root_fd, 0);
        o = (ProfileLoadOptions){ .root_fd = root_fd,
                                  .search_path = (char *const[]){ (char *) "/p", NULL },
                                  .flags = PROFILE_LOAD_KEEP_TEXT };
        ck_assert_int_eq(profile_load(&o, "immutable", &p, &diags), 0);
        ck_assert_int_eq(profile_digest(p, &digest), 0);
        ck_assert_int_eq(attest_golden_posture(p, &in, &g), 0);
        ck_assert_str_eq(g.profile_digest, digest);
        ck_assert_int_eq(g.selinux, POSTURE_SELINUX_ENFORCING);
        ck_assert(g.audit_locked && g.usr_signed && g.usr_verified && g.ipe_enforce);
        ck_assert_int_eq(attest_log_from_posture(&g, &l), 0);
        ck_assert_str_eq(l.events[1].string, full_strings[1]);
        ck_assert_str_eq(l.events[2].string, full_strings[2]);

        /* Without SELinux mode and audit lock in the profile: disabled, no. */
        ck_assert_int_eq(profile_load(&o, "plain", &q, &diags), 0);
        in = (AttestGoldenInput){};
        ck_assert_int_eq(attest_golden_posture(q, &in, &h), 0);
        ck_assert_int_eq(h.selinux, POSTURE_SELINUX_DISABLED);
        ck_assert(!h.audit_locked && !h.usr_root_hash && !h.ipe_digest);
        ck_assert_str_ne(h.profile_digest, g.profile_digest);
        test_tmpdir_remove(dir);
}
END_TEST

static Suite *attest_suite(void) {
        Suite *s = suite_create("attest");
        TCase *tc = tcase_create("offline");

        tcase_add_test(tc, test_posture_roundtrip);
        tcase_add_test(tc, test_posture_unknown_and_null);
        tcase_add_test(tc, test_posture_strict);
        tcase_add_test(tc, test_events_order_and_replay);
        tcase_add_test(tc, test_record_encoding);
        tcase_add_test(tc, test_log_tampered);
        tcase_add_test(tc, test_golden_roundtrip);
        tcase_add_test(tc, test_certificate_fingerprint);
        tcase_add_test(tc, test_golden_from_profile);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(attest_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
