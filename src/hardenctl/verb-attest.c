/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest-event.h"
#include "attest-golden.h"
#include "pkcs7-sign.h"
#include "attest-tpm.h"
#include "attest-verify.h"
#include "fs-util.h"
#include "hardenctl.h"
#include "json-util.h"
#include "log.h"
#include "parse-util.h"
#include "profile-load.h"
#include "string-util.h"
#include "strv.h"
#include "verbs.h"

#define NONCE_MAX 64U

DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_PKEY *, EVP_PKEY_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(BIO *, BIO_free);

static int parse_nonce(uint8_t ret[static NONCE_MAX], size_t *ret_size) {
        if (!arg_nonce)
                return log_error_errno(-EINVAL, "A nonce is needed: --nonce=HEX, the verifier's.");
        if (hex_decode(arg_nonce, ret, NONCE_MAX, ret_size) < 0 || *ret_size == 0)
                return log_error_errno(-EINVAL, "Invalid --nonce= '%s': expected 1 to %u bytes in hexadecimal.",
                                       arg_nonce, NONCE_MAX);
        return 0;
}

static int read_json_file(const char *path, const char *what, struct json_object **ret) {
        _cleanup_free_ char *text = NULL;
        struct json_object *j;
        size_t size;
        int r;

        r = read_full_file(path, 2 * ATTEST_LOG_MAX, &text, &size);
        if (r < 0)
                return log_error_errno(r, "Cannot read the %s %s: %m", what, path);
        j = json_tokener_parse(text);
        if (!j)
                return log_error_errno(-EBADMSG, "The %s %s is not JSON.", what, path);
        *ret = j;
        return 0;
}

/* The posture record the boot wrote, as reports carry it, into the document ("posture"): the verifier
 * checks it against what was measured, and so ties a report to the quote. Without one, a warning. */
static int add_posture_record(struct json_object *doc) {
        const char *path = arg_posture ?: POSTURE_RECORD_PATH;
        _cleanup_(posture_done) Posture p = {};
        _cleanup_free_ char *text = NULL, *error = NULL;
        struct json_object *j;
        int r;

        /* The boot's own record may be missing (nothing wrote one): a warning. One named with --posture=
         * must be there and valid. */
        r = read_full_file(path, 64U * 1024U, &text, NULL);
        if (r == -ENOENT && !arg_posture) {
                log_warning("There is no posture record %s: the document carries none.", path);
                return 0;
        }
        if (r < 0)
                return log_error_errno(r, "Cannot read the posture record %s: %m", path);
        r = posture_from_json(text, &p, &error);
        if (r == -EBADMSG && !arg_posture) {
                log_warning("The posture record %s is invalid (%s): the document carries none.", path, error);
                return 0;
        }
        if (r == -EBADMSG)
                return log_error_errno(r, "The posture record %s is invalid: %s", path, error);
        if (r < 0)
                return log_error_errno(r, "Cannot read the posture record %s: %m", path);
        j = json_tokener_parse(text);
        if (!j || json_object_object_add(doc, "posture", j) < 0) {
                json_object_put(j);
                return log_oom();
        }
        return 0;
}

/* hardenctl attest --nonce=HEX: the quote of PCR 8, with the event log, as one JSON document. */
static int attest_quote(void) {
        _cleanup_(attest_tpm_freep) AttestTpm *tpm = NULL;
        _cleanup_(attest_log_done) AttestLog log = {};
        _cleanup_(attest_quote_done) AttestQuote q = {};
        _cleanup_(json_object_putp) struct json_object *doc = NULL;
        _cleanup_free_ char *text = NULL, *error = NULL;
        _cleanup_close_ int log_fd = -EBADF;
        const char *tcti = getenv("HARDENCTL_TPM2_TCTI"), *log_path = arg_event_log ?: ATTEST_LOG_PATH;
        uint8_t nonce[NONCE_MAX];
        size_t nonce_size, size = 0;
        int r;

        r = parse_nonce(nonce, &nonce_size);
        if (r < 0)
                return r;
        if (isempty(tcti))
                tcti = NULL;

        r = attest_tpm_open(tcti, &tpm);
        if (r == -ENODEV)
                return log_error_errno(r, "This host has no TPM (%s): nothing to attest.", ATTEST_TPM_DEVICE);
        if (r == -EOPNOTSUPP)
                return log_error_errno(r, "tpm2-tss (%s) is not installed: cannot talk to the TPM.", ATTEST_TPM_LIBRARY);
        if (r < 0)
                return log_error_errno(r, "Cannot talk to the TPM %s: %m", tcti ?: ATTEST_TPM_DEVICE);

        /* The log stays locked (shared) until the quote is made: no measurement comes between. */
        log_fd = attest_log_open_locked(log_path, &text, &size);
        if (log_fd == -ENOENT)
                log_warning("There is no event log %s: nothing was measured, the quote will show it.", log_path);
        else if (log_fd < 0)
                return log_error_errno(log_fd, "Cannot read the event log %s: %m", log_path);
        else {
                struct stat st;

                /* The sticky bit: a measurement began and did not finish; the quote will tell. */
                if (fstat(log_fd, &st) >= 0 && (st.st_mode & S_ISVTX))
                        log_warning("The event log %s is marked incomplete: a measurement was interrupted.", log_path);
                r = attest_log_parse(text, size, &log, &error);
                if (r == -EBADMSG)
                        return log_error_errno(r, "The event log %s is malformed: %s", log_path, error);
                if (r < 0)
                        return log_error_errno(r, "Cannot read the event log %s: %m", log_path);
        }

        /* The attestation key is kept for the boot only with the host's own TPM. */
        r = attest_tpm_quote(tpm, tcti ? NULL : ATTEST_AK_CONTEXT_PATH, nonce, nonce_size,
                             arg_pcrs | UINT32_C(1) << ATTEST_PCR, &q);
        if (r < 0)
                return log_error_errno(r, "The TPM could not quote PCR %u%s: %m", ATTEST_PCR,
                                       arg_pcrs & ~(UINT32_C(1) << ATTEST_PCR) ? " and those of --pcrs=" : "");
        log_fd = safe_close(log_fd);

        r = attest_document_build(&q, nonce, nonce_size, &log, &doc);
        if (r < 0)
                return log_error_errno(r, "Cannot build the attestation document: %m");
        r = add_posture_record(doc);
        if (r < 0)
                return r;
        return json_print(doc);
}

int golden_values_build(const char *spec, const char *usr_root_hash, struct json_object **ret) {
        _cleanup_strv_free_ char **search_path = NULL;
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_(posture_done) Posture posture = {};
        _cleanup_(attest_log_done) AttestLog events = {};
        _cleanup_free_ char *signer = NULL, *ipe = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        AttestGoldenInput in = { .root_hash = usr_root_hash };
        ProfileLoadOptions o;
        int r;

        r = load_options_init(&o, &root_fd, &search_path);
        if (r < 0)
                return r;
        o.flags |= PROFILE_LOAD_KEEP_TEXT;
        r = load_profile(&o, spec, &p);
        if (r != 0)
                return r;

        if (!usr_root_hash && p->usr.root_hash && hex_string_is_valid(p->usr.root_hash, 16, 64))
                in.root_hash = p->usr.root_hash;
        if (!in.root_hash && p->usr.verity == VERITY_REQUIRED)
                return log_error_errno(-EINVAL, "The profile requires a verity /usr: give its --usr-root-hash=.");
        if (in.root_hash && p->usr.signature == SIGNATURE_REQUIRED && !arg_certificate)
                return log_error_errno(-EINVAL, "The profile requires a signed /usr: give the signer's --certificate=.");
        if (arg_certificate) {
                _cleanup_free_ char *error = NULL;

                r = pkcs7_certificate_fingerprint(arg_certificate, &signer, &error);
                if (r < 0)
                        return log_error_errno(r, "Cannot read the certificate: %s", error ?: strerror(-r));
                in.usr_signer = signer;
        }
        if (arg_ipe_policy) {
                r = attest_file_digest(arg_ipe_policy, &ipe);
                if (r < 0)
                        return log_error_errno(r, "Cannot read the IPE policy %s: %m", arg_ipe_policy);
                in.ipe_digest = ipe;
        }

        r = attest_golden_posture(p, &in, &posture);
        if (r < 0)
                return log_error_errno(r, "Cannot compute the expected posture: %m");
        r = attest_log_from_posture(&posture, &events);
        if (r >= 0)
                r = attest_golden_to_json(&events, ret);
        if (r < 0)
                return log_error_errno(r, "Cannot compute the golden values: %m");
        return 0;
}

static int verb_attest_golden(int argc, char *argv[]) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        int r;

        if (arg_usr_root_hash && !hex_string_is_valid(arg_usr_root_hash, 16, 64))
                return log_error_errno(-EINVAL, "Invalid --usr-root-hash= '%s': expected hexadecimal digits.",
                                       arg_usr_root_hash);
        if (arg_certificate && !arg_usr_root_hash)
                return log_error_errno(
                        -EINVAL, "--certificate= names the signer of the /usr root hash: give --usr-root-hash= too.");
        r = golden_values_build(argc > 1 ? argv[1] : NULL, arg_usr_root_hash, &j);
        if (r != 0)
                return r;
        return json_print(j);
}

int verb_attest(int argc, char *argv[]) {
        static const Verb verbs[] = {
                { "golden", 0, 1, verb_attest_golden, "[NAME|PATH]", NULL,
                  O(ROOT) | O(JSON) | O(LENIENT) | O(USR_ROOT_HASH) | O(CERTIFICATE) | O(IPE_POLICY) },
        };
        static const VerbTable table = {
                .verbs = verbs,
                .n_verbs = ELEMENTSOF(verbs),
                .parent = "attest",
                .option_names = option_names,
                .n_option_names = _OPTION_MAX,
                .has_help = true,
        };

        if (argc > 1)
                return verbs_dispatch(&table, argc - 1, argv + 1, arg_options);
        if (arg_options & ~(O(JSON) | O(NONCE) | O(EVENT_LOG) | O(PCRS) | O(POSTURE)))
                return log_error_errno(-EINVAL,
                                       "attest takes only --nonce=, --event-log=, --pcrs=, --posture= and --json.");
        return attest_quote();
}

/* Exit codes: 0 verified, EXIT_NOT_COMPLIANT (2) rejected, with every reason, EXIT_FAILED (1) when the
 * document, the golden values or the key cannot be read. */
int verb_verify_attestation(int argc, char *argv[]) {
        _cleanup_(json_object_putp) struct json_object *doc = NULL, *golden_json = NULL;
        _cleanup_(attest_log_done) AttestLog golden = {};
        _cleanup_(EVP_PKEY_freep) EVP_PKEY *ak = NULL;
        _cleanup_strv_free_ char **problems = NULL;
        _cleanup_free_ char *error = NULL, *others = NULL;
        uint8_t nonce[NONCE_MAX];
        uint32_t quoted = 0;
        size_t nonce_size;
        int r;

        r = parse_nonce(nonce, &nonce_size);
        if (r < 0)
                return r;
        if (!arg_golden)
                return log_error_errno(-EINVAL, "verify-attestation needs the golden values: --golden=FILE.");
        r = read_json_file(argv[1], "attestation", &doc);
        if (r < 0)
                return r;
        r = read_json_file(arg_golden, "golden values", &golden_json);
        if (r < 0)
                return r;
        r = attest_golden_from_json(golden_json, &golden, &error);
        if (r == -EBADMSG)
                return log_error_errno(r, "%s: %s", arg_golden, error);
        if (r < 0)
                return log_error_errno(r, "Cannot read the golden values %s: %m", arg_golden);
        if (arg_ak) {
                _cleanup_(BIO_freep) BIO *b = BIO_new_file(arg_ak, "r");

                ak = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
                if (!ak)
                        return log_error_errno(-EBADMSG, "Cannot read a PEM public key from %s.", arg_ak);
        }

        r = attest_verify(doc, nonce, nonce_size, &golden, ak, &problems, &quoted, &error);
        if (r == -EBADMSG)
                return log_error_errno(r, "%s: malformed attestation: %s", argv[1], error);
        if (r < 0)
                return log_error_errno(r, "Cannot verify %s: %m", argv[1]);
        /* The PCRs the verifier requires (--pcrs=) must be among those quoted. */
        for (unsigned i = 0; i < ATTEST_PCR_COUNT; i++)
                if ((arg_pcrs & (UINT32_C(1) << i)) && !(quoted & (UINT32_C(1) << i)) &&
                    strv_consume(&problems, strprintf("the quote is not over PCR %u, which --pcrs= requires", i)) < 0)
                        return log_oom();

        if (arg_json != JSON_OFF) {
                _cleanup_(json_object_putp) struct json_object *j = json_object_new_object(),
                                                               *a = json_object_new_array(),
                                                               *p = json_object_new_array();

                if (!j || !a || !p)
                        return log_oom();
                STRV_FOREACH(s, problems)
                        if (json_object_array_add(a, json_object_new_string(*s)) < 0)
                                return log_oom();
                for (unsigned i = 0; i < ATTEST_PCR_COUNT; i++)
                        if ((quoted & (UINT32_C(1) << i)) && json_object_array_add(p, json_object_new_int((int) i)) < 0)
                                return log_oom();
                if (json_object_object_add(j, "verified", json_object_new_boolean(!problems)) < 0 ||
                    json_object_object_add(j, "problems", TAKE_PTR(a)) < 0 ||
                    json_object_object_add(j, "quotedPcrs", TAKE_PTR(p)) < 0)
                        return log_oom();
                r = json_print(j);
                if (r < 0)
                        return r;
        } else if (!problems && !arg_quiet) {
                /* The other PCRs quoted: their values in the document are what the TPM quoted, for the
                 * verifier to compare with its own references. */
                for (unsigned i = 0; i < ATTEST_PCR_COUNT; i++)
                        if (i != ATTEST_PCR && (quoted & (UINT32_C(1) << i))) {
                                char *t = strprintf("%s%s%u", strempty(others), others ? ", " : "", i);

                                if (!t)
                                        return log_oom();
                                free(others);
                                others = t;
                        }
                printf("%s: verified: quote signed by the attestation key, nonce, PCR %u and %zu events as golden%s%s%s.\n",
                       argv[1], ATTEST_PCR, golden.n,
                       json_object_object_get_ex(doc, "posture", NULL) ? ", the posture record as measured" : "",
                       others ? "; quoted too, values as in the document: PCR " : "", strempty(others));
        }
        STRV_FOREACH(s, problems)
                log_error("%s: %s", argv[1], *s);
        return problems ? EXIT_NOT_COMPLIANT : 0;
}
