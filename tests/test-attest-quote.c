/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Attestation quotes: made at test time by a swtpm the test starts (and stops) itself, verified and then
 * tampered with; and quotes recorded from a swtpm (tests/attest/, by test-attest.sh with
 * HARDENCTL_ATTEST_FIXTURES=), verified and tampered with without a TPM. */

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

/* A swtpm of the test's own, on a free TCP port, for the quote tests; stopped by its PID. */
static pid_t swtpm_pid = 0;
static char *swtpm_dir = NULL, *swtpm_tcti = NULL;

static bool swtpm_start(void) {
        for (int attempt = 0; attempt < 5; attempt++) {
                unsigned port = 20000 + (unsigned) (getpid() * 7 + attempt * 1009 + time(NULL)) % 30000;
                _cleanup_free_ char *state = strprintf("dir=%s", swtpm_dir),
                                    *server = strprintf("type=tcp,port=%u,bindaddr=127.0.0.1", port),
                                    *ctrl = strprintf("type=tcp,port=%u,bindaddr=127.0.0.1", port + 1);
                pid_t pid = fork();

                ck_assert_int_ge(pid, 0);
                if (pid == 0) {
                        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

                        (void) dup2(null, STDOUT_FILENO);
                        execlp("swtpm", "swtpm", "socket", "--tpm2", "--tpmstate", state, "--server", server, "--ctrl",
                               ctrl, "--flags", "startup-clear,not-need-init", (char *) NULL);
                        _exit(127);
                }
                free(swtpm_tcti);
                swtpm_tcti = strprintf("swtpm:host=127.0.0.1,port=%u", port);
                for (int i = 0; i < 50; i++) {
                        _cleanup_(attest_tpm_freep) AttestTpm *t = NULL;
                        int status;

                        if (waitpid(pid, &status, WNOHANG) == pid)
                                break; /* it exited: the port is taken, or no swtpm */
                        if (attest_tpm_open(swtpm_tcti, &t) >= 0) {
                                swtpm_pid = pid;
                                return true;
                        }
                        usleep(100 * 1000);
                }
                (void) kill(pid, SIGTERM);
                (void) waitpid(pid, NULL, 0);
        }
        return false;
}

static void swtpm_stop(void) {
        if (swtpm_pid > 0) {
                (void) kill(swtpm_pid, SIGTERM);
                (void) waitpid(swtpm_pid, NULL, 0);
                swtpm_pid = 0;
        }
}

static const uint8_t nonce[] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04 };

/* Measures p into a fresh PCR... not fresh: the swtpm is shared, so each test extends further, and the log
 * must carry everything measured so far: one log file for the whole run. */
static char *log_path = NULL;

static void measure_and_quote_pcrs(const Posture *p, uint32_t pcr_mask, struct json_object **ret_doc) {
        _cleanup_(attest_tpm_freep) AttestTpm *t = NULL;
        _cleanup_(attest_log_done) AttestLog events = {}, all = {};
        _cleanup_(attest_quote_done) AttestQuote q = {};
        _cleanup_free_ char *text = NULL, *error = NULL;
        _cleanup_close_ int fd = -EBADF;
        uint8_t replayed[32];
        size_t size;

        ck_assert_int_eq(attest_tpm_open(swtpm_tcti, &t), 0);
        ck_assert_int_eq(attest_log_from_posture(p, &events), 0);
        ck_assert_int_eq(attest_measure(t, &events, log_path), 0);
        fd = attest_log_open_locked(log_path, &text, &size);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(attest_log_parse(text, size, &all, &error), 0);
        /* PCR 7 extended too, as the firmware would: a value of its own to quote beside PCR 8. */
        if (pcr_mask & (UINT32_C(1) << 7)) {
                static const uint8_t d[32] = { 7 };

                ck_assert_int_eq(attest_tpm_extend(t, 7, d), 0);
        }
        ck_assert_int_eq(attest_tpm_quote(t, NULL, nonce, sizeof nonce, pcr_mask, &q), 0);
        ck_assert_uint_eq(q.pcr_mask, pcr_mask);
        /* The PCR the TPM has is the one the log replays to. */
        ck_assert_int_eq(attest_log_replay(&all, ATTEST_PCR, replayed), 0);
        ck_assert_mem_eq(replayed, q.pcr_values[ATTEST_PCR], 32);
        ck_assert_int_eq(attest_document_build(&q, nonce, sizeof nonce, &all, ret_doc), 0);
}

static void measure_and_quote(const Posture *p, struct json_object **ret_doc) {
        measure_and_quote_pcrs(p, UINT32_C(1) << ATTEST_PCR, ret_doc);
}

static void golden_of(const Posture *p, AttestLog *ret) {
        ck_assert_int_eq(attest_log_from_posture(p, ret), 0);
}

static char **verify(struct json_object *doc, const uint8_t *n, size_t nsize, const AttestLog *golden) {
        char **problems = NULL;
        _cleanup_free_ char *error = NULL;

        ck_assert_msg(attest_verify(doc, n, nsize, golden, NULL, &problems, NULL, &error) == 0, "%s", strempty(error));
        return problems;
}

static bool has_problem(char **problems, const char *what) {
        STRV_FOREACH(s, problems)
                if (strstr(*s, what))
                        return true;
        return false;
}

START_TEST(test_quote_verify) {
        _cleanup_(posture_done) Posture p = {}, other = {};
        _cleanup_(json_object_putp) struct json_object *doc = NULL;
        _cleanup_(attest_log_done) AttestLog golden = {}, golden_other = {}, empty = {};
        _cleanup_strv_free_ char **ok = NULL, **bad_nonce = NULL, **bad_profile = NULL, **both = NULL;
        _cleanup_free_ char *error = NULL;

        /* The shared swtpm: the log is reset together with a fresh TPM for this test. */
        full_posture(&p);
        measure_and_quote(&p, &doc);
        golden_of(&p, &golden);

        ok = verify(doc, nonce, sizeof nonce, &golden);
        ck_assert_msg(!ok, "rejected: %s", ok ? ok[0] : "");

        bad_nonce = verify(doc, (const uint8_t *) "old", 3, &golden);
        ck_assert(has_problem(bad_nonce, "nonce differs"));
        ck_assert_int_eq(strv_length(bad_nonce), 1);

        full_posture(&other);
        free(other.profile_digest);
        other.profile_digest = strdup(DIGEST_A);
        free(other.ipe_digest);
        other.ipe_digest = strdup(DIGEST_B);
        golden_of(&other, &golden_other);
        bad_profile = verify(doc, nonce, sizeof nonce, &golden_other);
        ck_assert(has_problem(bad_profile, "profile digest differs"));
        ck_assert(has_problem(bad_profile, "IPE policy not the one shipped"));
        ck_assert(!has_problem(bad_profile, "SELinux"));

        /* Golden values with no events: everything measured is unexpected. */
        both = verify(doc, nonce, sizeof nonce, &empty);
        ck_assert(has_problem(both, "unexpected profile event"));
}
END_TEST

static char *doc_string(struct json_object *doc, const char *key) {
        return strdup(json_object_get_string(json_object_object_get(doc, key)));
}

START_TEST(test_quote_tampered) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_(json_object_putp) struct json_object *doc = NULL;
        _cleanup_(attest_log_done) AttestLog golden = {};
        _cleanup_free_ char *quote = NULL, *sig = NULL;

        full_posture(&p);
        measure_and_quote(&p, &doc);
        golden_of(&p, &golden);
        quote = doc_string(doc, "quote");
        sig = doc_string(doc, "signature");

        /* A flipped bit in the quote: the signature no longer holds. */
        {
                _cleanup_strv_free_ char **problems = NULL;
                _cleanup_free_ char *q = strdup(quote);

                size_t n = strlen(q) - 6; /* in the PCR digest, at the end */

                q[n] = q[n] == 'A' ? 'B' : 'A';
                json_object_object_add(doc, "quote", json_object_new_string(q));
                problems = verify(doc, nonce, sizeof nonce, &golden);
                ck_assert(has_problem(problems, "quote signature invalid"));
                json_object_object_add(doc, "quote", json_object_new_string(quote));
        }
        /* Another event log, self-consistent, but not what the TPM holds. */
        {
                _cleanup_strv_free_ char **problems = NULL;
                _cleanup_(json_object_putp) struct json_object *log = NULL;
                _cleanup_(attest_log_done) AttestLog fake = {};
                _cleanup_(posture_done) Posture q = {};

                full_posture(&q);
                q.selinux = POSTURE_SELINUX_PERMISSIVE;
                ck_assert_int_eq(attest_log_from_posture(&q, &fake), 0);
                ck_assert_int_eq(attest_log_to_json(&fake, &log), 0);
                json_object_object_add(doc, "eventLog", json_object_get(log));
                problems = verify(doc, nonce, sizeof nonce, &golden);
                ck_assert(has_problem(problems, "digest does not match the event log"));
                ck_assert(has_problem(problems, "SELinux mode differs"));
        }
        /* Malformed: not base64, not a TPMT_SIGNATURE. */
        {
                _cleanup_strv_free_ char **problems = NULL;
                _cleanup_free_ char *error = NULL;

                json_object_object_add(doc, "signature", json_object_new_string("!!!!"));
                ck_assert_int_eq(attest_verify(doc, nonce, sizeof nonce, &golden, NULL, &problems, NULL, &error),
                                 -EBADMSG);
                ck_assert_ptr_nonnull(strstr(error, "signature"));
        }
        /* Another AK than the one the verifier trusts. */
        {
                _cleanup_strv_free_ char **problems = NULL;
                _cleanup_free_ char *error = NULL;
                EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

                json_object_object_add(doc, "signature", json_object_new_string(sig));
                ck_assert_int_eq(attest_verify(doc, nonce, sizeof nonce, &golden, k, &problems, NULL, &error), 0);
                ck_assert(has_problem(problems, "attestation key differs"));
                EVP_PKEY_free(k);
        }
}
END_TEST

static void quote_setup(void) {
        swtpm_dir = test_tmpdir();
        log_path = path_join(swtpm_dir, "log/tpm2-measure.log");
        ck_assert_msg(swtpm_start(), "cannot start swtpm");
}

static void quote_teardown(void) {
        swtpm_stop();
        test_tmpdir_remove(swtpm_dir);
        free(log_path);
        free(swtpm_tcti);
        swtpm_dir = log_path = swtpm_tcti = NULL;
}

static bool have_swtpm(void) {
        return system("command -v swtpm >/dev/null 2>&1") == 0;
}

/* A quote over PCR 8 and others: the document's values of the others are bound by the quote's digest. */
START_TEST(test_quote_more_pcrs) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_(json_object_putp) struct json_object *doc = NULL;
        _cleanup_(attest_log_done) AttestLog golden = {};
        _cleanup_strv_free_ char **ok = NULL;
        _cleanup_free_ char *error = NULL, *pcr7 = NULL, *pcr8 = NULL;
        uint32_t mask = UINT32_C(1) << 0 | UINT32_C(1) << 7 | UINT32_C(1) << ATTEST_PCR, quoted = 0;
        struct json_object *pcrs;

        full_posture(&p);
        measure_and_quote_pcrs(&p, mask, &doc);
        golden_of(&p, &golden);
        pcrs = json_object_object_get(doc, "pcrs");
        ck_assert_int_eq(json_object_object_length(pcrs), 3);
        pcr7 = strdup(json_object_get_string(json_object_object_get(pcrs, "7")));
        pcr8 = strdup(json_object_get_string(json_object_object_get(pcrs, "8")));
        ck_assert_str_ne(pcr7, "0000000000000000000000000000000000000000000000000000000000000000");

        ck_assert_int_eq(attest_verify(doc, nonce, sizeof nonce, &golden, NULL, &ok, &quoted, &error), 0);
        ck_assert_msg(!ok, "rejected: %s", ok ? ok[0] : "");
        ck_assert_uint_eq(quoted, mask);

        /* Another value for PCR 7 than the TPM quoted. */
        {
                _cleanup_strv_free_ char **problems = NULL;

                json_object_object_add(pcrs, "7", json_object_new_string(pcr8));
                problems = verify(doc, nonce, sizeof nonce, &golden);
                ck_assert(has_problem(problems, "document's values of the other PCRs quoted"));
                ck_assert_int_eq(strv_length(problems), 1);
        }
        /* PCR 7 left out: malformed. */
        {
                _cleanup_strv_free_ char **problems = NULL;
                _cleanup_free_ char *e = NULL;

                json_object_object_del(pcrs, "7");
                ck_assert_int_eq(attest_verify(doc, nonce, sizeof nonce, &golden, NULL, &problems, NULL, &e), -EBADMSG);
                ck_assert_ptr_nonnull(strstr(e, "no sha256 value for PCR 7"));
        }
        /* PCR 7 back; PCR 8's value in the document edited (the digest uses the log's replay): named. */
        {
                _cleanup_strv_free_ char **problems = NULL;

                json_object_object_add(pcrs, "7", json_object_new_string(pcr7));
                json_object_object_add(pcrs, "8", json_object_new_string(pcr7));
                problems = verify(doc, nonce, sizeof nonce, &golden);
                ck_assert(has_problem(problems, "\"pcrs\".\"8\" is not the value the event log replays to"));
                ck_assert_int_eq(strv_length(problems), 1);
        }
}
END_TEST

/* A file of the recorded capture, tests/attest/NAME, as JSON. */
static struct json_object *fixture_json(const char *name) {
        _cleanup_free_ char *path = strprintf("%s/tests/attest/%s", getenv("SOURCE_ROOT") ?: ".", name);
        struct json_object *j;

        ck_assert_ptr_nonnull(path);
        j = json_object_from_file(path);
        ck_assert_msg(j, "cannot read %s", path);
        return j;
}

static void fixture_golden(const char *name, AttestLog *ret) {
        _cleanup_(json_object_putp) struct json_object *j = fixture_json(name);
        _cleanup_free_ char *error = NULL;

        ck_assert_msg(attest_golden_from_json(j, ret, &error) == 0, "%s: %s", name, strempty(error));
}

/* A character of a Base64 member changed to another Base64 character: the bytes differ, the form not. */
static void tamper_base64(struct json_object *doc, const char *key, size_t at) {
        _cleanup_free_ char *s = strdup(json_object_get_string(json_object_object_get(doc, key)));

        ck_assert_ptr_nonnull(s);
        ck_assert_uint_gt(strlen(s), at);
        s[at] = s[at] == 'A' ? 'B' : 'A';
        json_object_object_add(doc, key, json_object_new_string(s));
}

/* Quotes a swtpm made, kept as they were: verified as they are, refused when anything in them changes. */
START_TEST(test_recorded_quotes) {
        _cleanup_(attest_log_done) AttestLog golden = {}, baseline = {}, other_ipe = {};
        _cleanup_free_ char *nonce_path = strprintf("%s/tests/attest/nonce", getenv("SOURCE_ROOT") ?: "."), *text = NULL;
        uint8_t n[64];
        size_t nsize = 0;

        ck_assert_int_eq(read_full_file(nonce_path, 256, &text, NULL), 0);
        ck_assert_int_eq(hex_decode(strstrip(text), n, sizeof n, &nsize), 0);
        fixture_golden("golden.json", &golden);
        fixture_golden("golden-baseline.json", &baseline);
        fixture_golden("golden-ipe.json", &other_ipe);

        /* As recorded: verified; the golden values of another profile or IPE policy name the event. */
        {
                _cleanup_(json_object_putp) struct json_object *doc = fixture_json("attestation.json");
                _cleanup_strv_free_ char **ok = NULL, **profile = NULL, **ipe = NULL, **old = NULL;

                ok = verify(doc, n, nsize, &golden);
                ck_assert_msg(!ok, "rejected: %s", ok ? ok[0] : "");
                profile = verify(doc, n, nsize, &baseline);
                ck_assert(has_problem(profile, "profile digest differs"));
                ipe = verify(doc, n, nsize, &other_ipe);
                ck_assert(has_problem(ipe, "IPE policy not the one shipped"));
                ck_assert(!has_problem(ipe, "profile digest"));
                old = verify(doc, (const uint8_t *) "old", 3, &golden);
                ck_assert(has_problem(old, "nonce differs"));
                ck_assert_int_eq(strv_length(old), 1);
        }
        /* The posture record it carries, edited: not what was measured. */
        {
                _cleanup_(json_object_putp) struct json_object *doc = fixture_json("attestation.json");
                _cleanup_strv_free_ char **record = NULL;
                struct json_object *posture = json_object_object_get(doc, "posture");

                ck_assert_ptr_nonnull(posture);
                json_object_object_add(posture, "auditLocked", json_object_new_boolean(false));
                record = verify(doc, n, nsize, &golden);
                ck_assert(has_problem(record, "the posture record is not what was measured: audit-lock"));
                ck_assert_int_eq(strv_length(record), 1);
        }
        /* The signature or the quote changed by one character: not the AK's signature. */
        {
                _cleanup_(json_object_putp) struct json_object *doc = fixture_json("attestation.json"),
                                                               *doc2 = fixture_json("attestation.json");
                _cleanup_strv_free_ char **sig = NULL, **quote = NULL;

                tamper_base64(doc, "signature", 80);
                sig = verify(doc, n, nsize, &golden);
                ck_assert(has_problem(sig, "quote signature invalid"));
                tamper_base64(doc2, "quote", 60);
                quote = verify(doc2, n, nsize, &golden);
                ck_assert(has_problem(quote, "quote signature invalid"));
        }
        /* An event of the log edited: the replay no longer gives the quoted digest, and the event differs. */
        {
                _cleanup_(json_object_putp) struct json_object *doc = fixture_json("attestation.json");
                _cleanup_strv_free_ char **edited = NULL;
                _cleanup_(attest_log_done) AttestLog log = {};
                _cleanup_(json_object_putp) struct json_object *events = NULL;
                _cleanup_free_ char *error = NULL;
                struct json_object *l = json_object_object_get(doc, "eventLog");

                ck_assert_int_eq(attest_log_from_json(l, &log, &error), 0);
                /* Edited consistently (its digest the new string's), as a forger would. */
                for (size_t i = 0; i < log.n; i++)
                        if (log.events[i].kind == ATTEST_EVENT_SELINUX) {
                                static const char edit[] = "hardenctl-selinux:permissive";

                                free(log.events[i].string);
                                log.events[i].string = strdup(edit);
                                ck_assert_int_eq(
                                        EVP_Digest(edit, strlen(edit), log.events[i].digest, NULL, EVP_sha256(), NULL),
                                        1);
                        }
                ck_assert_int_eq(attest_log_to_json(&log, &events), 0);
                json_object_object_add(doc, "eventLog", json_object_get(events));
                edited = verify(doc, n, nsize, &golden);
                ck_assert(has_problem(edited, "digest does not match the event log"));
                ck_assert(has_problem(edited, "SELinux mode differs"));
        }
        /* Quoted with PCRs 0 and 7: verified, and a value of PCR 7 changed is refused. */
        {
                _cleanup_(json_object_putp) struct json_object *doc = fixture_json("attestation-pcrs.json");
                _cleanup_strv_free_ char **ok = NULL, **edited = NULL;
                _cleanup_free_ char *error = NULL;
                uint32_t mask = 0;
                struct json_object *pcrs = json_object_object_get(doc, "pcrs");

                ck_assert_int_eq(attest_verify(doc, n, nsize, &golden, NULL, &ok, &mask, &error), 0);
                ck_assert_msg(!ok, "rejected: %s", ok ? ok[0] : "");
                ck_assert_uint_eq(mask, UINT32_C(1) << 0 | UINT32_C(1) << 7 | UINT32_C(1) << 8);
                json_object_object_add(pcrs, "7", json_object_get(json_object_object_get(pcrs, "0")));
                edited = verify(doc, n, nsize, &golden);
                ck_assert(has_problem(edited, "document's values of the other PCRs quoted"));
        }
}
END_TEST

static Suite *attest_suite(bool quotes) {
        Suite *s = suite_create("attest");
        TCase *tc = tcase_create("offline");

        tcase_add_test(tc, test_recorded_quotes);
        suite_add_tcase(s, tc);

        if (quotes) {
                /* Each test with a swtpm of its own (started and stopped in its process). */
                tc = tcase_create("swtpm");
                tcase_add_checked_fixture(tc, quote_setup, quote_teardown);
                tcase_add_test(tc, test_quote_verify);
                tcase_add_test(tc, test_quote_tampered);
                tcase_add_test(tc, test_quote_more_pcrs);
                tcase_set_timeout(tc, 60);
                suite_add_tcase(s, tc);
        }
        return s;
}

int main(void) {
        bool quotes = have_swtpm();

        /* tpm2-tss's own logging of the connection attempts while the swtpm starts: not wanted here. */
        (void) setenv("TSS2_LOG", "all+NONE", 1);
        SRunner *sr = srunner_create(attest_suite(quotes));
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        if (failed)
                return EXIT_FAILURE;
        if (!quotes) {
                printf("swtpm is missing: the quote tests were skipped.\n");
                return 77;
        }
        return EXIT_SUCCESS;
}
