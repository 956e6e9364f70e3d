/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <tss2/tss2_mu.h>

#include "attest-verify.h"
#include "json-util.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_PKEY *, EVP_PKEY_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_PKEY_CTX *, EVP_PKEY_CTX_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_MD_CTX *, EVP_MD_CTX_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(OSSL_PARAM_BLD *, OSSL_PARAM_BLD_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(OSSL_PARAM *, OSSL_PARAM_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(BIGNUM *, BN_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(ECDSA_SIG *, ECDSA_SIG_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(BIO *, BIO_free);

_printf_(2, 3) static int fail(char **ret_error, const char *format, ...) {
        va_list ap;

        if (ret_error) {
                free(*ret_error);
                va_start(ap, format);
                *ret_error = vstrprintf(format, ap);
                va_end(ap);
        }
        return -EBADMSG;
}

static char *base64_encode(const uint8_t *p, size_t n) {
        char *s = malloc(4 * ((n + 2) / 3) + 1);

        if (s)
                (void) EVP_EncodeBlock((unsigned char *) s, p, (int) n);
        return s;
}

/* Decodes base64 without line breaks. Returns the size, or -EINVAL. */
static int base64_decode(const char *s, uint8_t **ret, size_t *ret_size) {
        size_t n = strlen(s);
        _cleanup_free_ uint8_t *b = NULL;
        int k;

        if (n == 0 || n % 4 != 0 || n > 64 * 1024)
                return -EINVAL;
        b = malloc(n / 4 * 3 + 1);
        if (!b)
                return -ENOMEM;
        k = EVP_DecodeBlock(b, (const unsigned char *) s, (int) n);
        if (k < 0)
                return -EINVAL;
        /* EVP_DecodeBlock counts the padding as zero bytes. */
        if (s[n - 1] == '=')
                k--;
        if (s[n - 2] == '=')
                k--;
        *ret = TAKE_PTR(b);
        *ret_size = (size_t) k;
        return 0;
}

static char *pkey_to_pem(EVP_PKEY *k) {
        _cleanup_(BIO_freep) BIO *b = BIO_new(BIO_s_mem());
        char *data, *s;
        long n;

        if (!b || PEM_write_bio_PUBKEY(b, k) != 1)
                return NULL;
        n = BIO_get_mem_data(b, &data);
        s = n > 0 ? strndup(data, n) : NULL;
        return s;
}

int attest_public_to_pkey(const uint8_t *data, size_t size, EVP_PKEY **ret) {
        _cleanup_(OSSL_PARAM_BLD_freep) OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        _cleanup_(OSSL_PARAM_freep) OSSL_PARAM *params = NULL;
        _cleanup_(EVP_PKEY_CTX_freep) EVP_PKEY_CTX *ctx = NULL;
        _cleanup_(BN_freep) BIGNUM *n = NULL, *e = NULL;
        TPM2B_PUBLIC pub = {};
        EVP_PKEY *k = NULL;
        size_t offset = 0;
        /* OSSL_PARAM_BLD keeps a pointer to it until OSSL_PARAM_BLD_to_param(). */
        uint8_t point[1 + 2 * 32];

        if (!bld)
                return -ENOMEM;
        if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(data, size, &offset, &pub) != TSS2_RC_SUCCESS || offset != size)
                return -EBADMSG;
        if (pub.publicArea.type == TPM2_ALG_ECC) {
                const TPMS_ECC_POINT *q = &pub.publicArea.unique.ecc;

                if (pub.publicArea.parameters.eccDetail.curveID != TPM2_ECC_NIST_P256 || q->x.size != 32 ||
                    q->y.size != 32)
                        return -EOPNOTSUPP;
                point[0] = 0x04;
                memcpy(point + 1, q->x.buffer, 32);
                memcpy(point + 33, q->y.buffer, 32);
                if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
                    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1)
                        return -ENOMEM;
                ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        } else if (pub.publicArea.type == TPM2_ALG_RSA) {
                uint32_t exponent = pub.publicArea.parameters.rsaDetail.exponent ?: 65537;

                n = BN_bin2bn(pub.publicArea.unique.rsa.buffer, pub.publicArea.unique.rsa.size, NULL);
                e = BN_new();
                if (!n || !e || BN_set_word(e, exponent) != 1 ||
                    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
                    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1)
                        return -ENOMEM;
                ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        } else
                return -EOPNOTSUPP;

        params = OSSL_PARAM_BLD_to_param(bld);
        if (!ctx || !params)
                return -ENOMEM;
        if (EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) != 1)
                return -EBADMSG;
        *ret = k;
        return 0;
}

static int add_string(struct json_object *o, const char *key, const char *s) {
        struct json_object *v = s ? json_object_new_string(s) : NULL;

        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

int attest_document_build(const AttestQuote *q, const uint8_t *nonce, size_t nonce_size, const AttestLog *log,
                          struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *j = json_object_new_object(), *ak = NULL, *pcrs = NULL,
                                                       *events = NULL;
        _cleanup_free_ char *quote = base64_encode(q->attest, q->attest_size),
                            *sig = base64_encode(q->signature, q->signature_size),
                            *pub = base64_encode(q->ak_public, q->ak_public_size),
                            *nonce_hex = hexmem(nonce, nonce_size), *pem = NULL;
        _cleanup_(EVP_PKEY_freep) EVP_PKEY *k = NULL;
        char value[2 * ATTEST_DIGEST_SIZE + 1], pcr[4];
        int r;

        if (!j || !quote || !sig || !pub || !nonce_hex)
                return -ENOMEM;
        r = attest_public_to_pkey(q->ak_public, q->ak_public_size, &k);
        if (r < 0)
                return r;
        pem = pkey_to_pem(k);
        ak = json_object_new_object();
        pcrs = json_object_new_object();
        if (!pem || !ak || !pcrs)
                return -ENOMEM;
        r = attest_log_to_json(log, &events);
        if (r < 0)
                return r;
        for (unsigned i = 0; i < ATTEST_PCR_COUNT; i++) {
                if (!(q->pcr_mask & (UINT32_C(1) << i)))
                        continue;
                hex_encode(q->pcr_values[i], ATTEST_DIGEST_SIZE, value);
                (void) snprintf(pcr, sizeof pcr, "%u", i);
                if (add_string(pcrs, pcr, value) < 0)
                        return -ENOMEM;
        }
        if (add_string(ak, "pem", pem) < 0 || add_string(ak, "tpm2bPublic", pub) < 0 ||
            json_object_object_add(j, "schemaVersion", json_object_new_int(ATTEST_DOCUMENT_SCHEMA_VERSION)) < 0 ||
            json_object_object_add(j, "pcr", json_object_new_int(ATTEST_PCR)) < 0 ||
            add_string(j, "hashAlg", "sha256") < 0 || add_string(j, "nonce", nonce_hex) < 0 ||
            add_string(j, "quote", quote) < 0 || add_string(j, "signature", sig) < 0 ||
            json_object_object_add(j, "akPublic", TAKE_PTR(ak)) < 0 ||
            json_object_object_add(j, "pcrs", TAKE_PTR(pcrs)) < 0 ||
            json_object_object_add(j, "eventLog", TAKE_PTR(events)) < 0)
                return -ENOMEM;
        if (q->ek_certificate) {
                _cleanup_free_ char *ek = base64_encode(q->ek_certificate, q->ek_certificate_size);

                if (!ek || add_string(j, "ekCertificate", ek) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(j);
        return 0;
}

static const char *get_string(struct json_object *o, const char *key) {
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

/* The signature of the quote, by the AK. Returns 1 if valid, 0 if not, <0 on malformed input. */
static int signature_valid(EVP_PKEY *k, const uint8_t *msg, size_t msg_size, const uint8_t *sig, size_t sig_size) {
        _cleanup_(EVP_MD_CTX_freep) EVP_MD_CTX *md = EVP_MD_CTX_new();
        _cleanup_(ECDSA_SIG_freep) ECDSA_SIG *ecdsa = NULL;
        _cleanup_free_ uint8_t *der = NULL;
        const uint8_t *raw;
        TPMT_SIGNATURE s = {};
        size_t offset = 0, raw_size;
        int n;

        if (!md)
                return -ENOMEM;
        if (Tss2_MU_TPMT_SIGNATURE_Unmarshal(sig, sig_size, &offset, &s) != TSS2_RC_SUCCESS || offset != sig_size)
                return -EBADMSG;
        if (s.sigAlg == TPM2_ALG_ECDSA && EVP_PKEY_base_id(k) == EVP_PKEY_EC) {
                BIGNUM *r, *ss;

                if (s.signature.ecdsa.hash != TPM2_ALG_SHA256)
                        return 0;
                ecdsa = ECDSA_SIG_new();
                r = BN_bin2bn(s.signature.ecdsa.signatureR.buffer, s.signature.ecdsa.signatureR.size, NULL);
                ss = BN_bin2bn(s.signature.ecdsa.signatureS.buffer, s.signature.ecdsa.signatureS.size, NULL);
                if (!ecdsa || !r || !ss || ECDSA_SIG_set0(ecdsa, r, ss) != 1) {
                        BN_free(r);
                        BN_free(ss);
                        return -ENOMEM;
                }
                n = i2d_ECDSA_SIG(ecdsa, &der);
                if (n <= 0)
                        return -ENOMEM;
                raw = der;
                raw_size = (size_t) n;
        } else if (s.sigAlg == TPM2_ALG_RSASSA && EVP_PKEY_base_id(k) == EVP_PKEY_RSA) {
                if (s.signature.rsassa.hash != TPM2_ALG_SHA256)
                        return 0;
                raw = s.signature.rsassa.sig.buffer;
                raw_size = s.signature.rsassa.sig.size;
        } else
                return 0;

        if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k) != 1)
                return -EIO;
        return EVP_DigestVerify(md, raw, raw_size, msg, msg_size) == 1;
}

static const char *const mismatch_names[_ATTEST_EVENT_MAX] = {
        [ATTEST_EVENT_PROFILE] = "profile digest differs",     [ATTEST_EVENT_USR] = "/usr root hash or signer differs",
        [ATTEST_EVENT_IPE] = "IPE policy not the one shipped", [ATTEST_EVENT_SELINUX] = "SELinux mode differs",
        [ATTEST_EVENT_AUDIT_LOCK] = "audit lock differs",
};

static int problem(char ***l, const char *format, ...) _printf_(2, 3);
static int problem(char ***l, const char *format, ...) {
        va_list ap;
        char *s;

        va_start(ap, format);
        s = vstrprintf(format, ap);
        va_end(ap);
        return strv_consume(l, s);
}

static int compare_events(const AttestLog *log, const AttestLog *golden, char ***problems) {
        size_t j = 0;
        int r;

        for (size_t i = 0; i < log->n; i++) {
                const AttestEvent *e = log->events + i, *g;

                if (e->pcr != ATTEST_PCR)
                        continue;
                if (e->kind < 0) {
                        r = problem(problems, "unexpected event on PCR %u: \"%s\"", ATTEST_PCR,
                                    e->string ?: "(no string)");
                        if (r < 0)
                                return r;
                        continue;
                }
                g = j < golden->n ? golden->events + j : NULL;
                if (!g || g->kind != e->kind) {
                        r = problem(problems, "unexpected %s event: \"%s\"", attest_event_kind_to_string(e->kind),
                                    e->string);
                        if (r < 0)
                                return r;
                        continue;
                }
                j++;
                if (!streq(g->string, e->string)) {
                        r = problem(problems, "%s: measured \"%s\", expected \"%s\"", mismatch_names[e->kind],
                                    e->string, g->string);
                        if (r < 0)
                                return r;
                }
        }
        for (; j < golden->n; j++) {
                r = problem(problems, "%s event missing: expected \"%s\"",
                            attest_event_kind_to_string(golden->events[j].kind), golden->events[j].string);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The PCRs a quote is over: one selection, of the SHA-256 bank, PCRs 0 to 23. */
static int quoted_pcrs(const TPMS_ATTEST *a, uint32_t *ret) {
        const TPMS_PCR_SELECTION *s = &a->attested.quote.pcrSelect.pcrSelections[0];
        uint32_t mask = 0;

        if (a->attested.quote.pcrSelect.count != 1 || s->hash != TPM2_ALG_SHA256 || s->sizeofSelect > 3)
                return -EBADMSG;
        for (unsigned i = 0; i < s->sizeofSelect; i++)
                mask |= (uint32_t) s->pcrSelect[i] << (8 * i);
        *ret = mask;
        return 0;
}

/* The value the document gives for PCR pcr, or -ENOENT. */
static int doc_pcr(struct json_object *doc, unsigned pcr, uint8_t ret[static ATTEST_DIGEST_SIZE]) {
        struct json_object *pcrs;
        char key[4];
        const char *s;
        size_t n = 0;

        (void) snprintf(key, sizeof key, "%u", pcr);
        if (!json_object_object_get_ex(doc, "pcrs", &pcrs) || !(s = get_string(pcrs, key)))
                return -ENOENT;
        if (hex_decode(s, ret, ATTEST_DIGEST_SIZE, &n) < 0 || n != ATTEST_DIGEST_SIZE)
                return -EBADMSG;
        return 0;
}

static bool doc_pcr_differs(struct json_object *doc, const uint8_t replayed[static ATTEST_DIGEST_SIZE]) {
        uint8_t v[ATTEST_DIGEST_SIZE];

        return doc_pcr(doc, ATTEST_PCR, v) >= 0 && memcmp(v, replayed, sizeof v) != 0;
}

/* Values in the document of PCRs the quote is not over: nothing vouches for them. */
static int uncovered_pcrs(struct json_object *doc, uint32_t mask, char ***problems) {
        struct json_object *pcrs;
        int r;

        if (!json_object_object_get_ex(doc, "pcrs", &pcrs) || !json_object_is_type(pcrs, json_type_object))
                return 0;
        json_object_object_foreach(pcrs, key, v) {
                unsigned pcr;

                (void) v;
                if (safe_atou(key, &pcr) >= 0 && pcr < ATTEST_PCR_COUNT && (mask & (UINT32_C(1) << pcr)))
                        continue;
                r = problem(problems, "\"pcrs\".\"%s\" is not a PCR the quote is over: nothing vouches for its value",
                            key);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* SHA-256 over the values of the PCRs of mask, in the order of their numbers: PCR 8's the replayed one,
 * the others' from the document. */
static int pcr_digest(struct json_object *doc, uint32_t mask, const uint8_t replayed[static ATTEST_DIGEST_SIZE],
                      uint8_t ret[static ATTEST_DIGEST_SIZE], char **ret_error) {
        _cleanup_(EVP_MD_CTX_freep) EVP_MD_CTX *md = EVP_MD_CTX_new();

        if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
                return -ENOMEM;
        for (unsigned i = 0; i < ATTEST_PCR_COUNT; i++) {
                uint8_t v[ATTEST_DIGEST_SIZE];

                if (!(mask & (UINT32_C(1) << i)))
                        continue;
                if (i == ATTEST_PCR)
                        memcpy(v, replayed, sizeof v);
                else if (doc_pcr(doc, i, v) < 0)
                        return fail(ret_error, "\"pcrs\" has no sha256 value for PCR %u, which the quote is over", i);
                if (EVP_DigestUpdate(md, v, sizeof v) != 1)
                        return -EIO;
        }
        return EVP_DigestFinal_ex(md, ret, NULL) == 1 ? 0 : -EIO;
}

/* The posture record the document carries, if it does: its events must be the ones measured, each one. */
static int compare_posture_record(struct json_object *doc, const AttestLog *log, char ***problems, char **ret_error) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_(attest_log_done) AttestLog from_record = {};
        _cleanup_free_ char *error = NULL;
        struct json_object *record;
        int r;

        if (!json_object_object_get_ex(doc, "posture", &record))
                return 0;
        r = posture_from_json(json_object_to_json_string_ext(record, JSON_C_TO_STRING_PLAIN), &p, &error);
        if (r == -EBADMSG)
                return fail(ret_error, "\"posture\" is not a posture record: %s", strna(error));
        if (r < 0)
                return r;
        r = attest_log_from_posture(&p, &from_record);
        if (r < 0)
                return r;
        for (size_t i = 0; i < from_record.n; i++) {
                const AttestEvent *want = from_record.events + i, *got = NULL;

                for (size_t k = 0; k < log->n && !got; k++)
                        if (log->events[k].pcr == ATTEST_PCR && log->events[k].kind == want->kind)
                                got = log->events + k;
                if (got && streq_ptr(got->string, want->string))
                        continue;
                r = problem(problems, "the posture record is not what was measured: %s \"%s\", measured \"%s\"",
                            attest_event_kind_to_string(want->kind), want->string, got ? strna(got->string) : "nothing");
                if (r < 0)
                        return r;
        }
        return 0;
}

int attest_verify(struct json_object *doc, const uint8_t *nonce, size_t nonce_size, const AttestLog *golden,
                  EVP_PKEY *expected_ak, char ***ret_problems, uint32_t *ret_pcr_mask, char **ret_error) {
        _cleanup_free_ uint8_t *quote = NULL, *sig = NULL, *pub = NULL;
        _cleanup_(EVP_PKEY_freep) EVP_PKEY *ak = NULL;
        _cleanup_(attest_log_done) AttestLog log = {};
        struct json_object *v, *events;
        const char *s;
        size_t quote_size, sig_size, pub_size, offset = 0;
        TPMS_ATTEST attest = {};
        uint8_t replayed[ATTEST_DIGEST_SIZE], digest[ATTEST_DIGEST_SIZE];
        uint32_t mask = 0;
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (!json_object_is_type(doc, json_type_object))
                return fail(ret_error, "not a JSON object");
        if (!json_object_object_get_ex(doc, "schemaVersion", &v) ||
            json_object_get_int(v) != ATTEST_DOCUMENT_SCHEMA_VERSION)
                return fail(ret_error, "schemaVersion is not %d", ATTEST_DOCUMENT_SCHEMA_VERSION);
        if (!(s = get_string(doc, "quote")) || base64_decode(s, &quote, &quote_size) < 0)
                return fail(ret_error, "\"quote\" missing or not base64");
        if (!(s = get_string(doc, "signature")) || base64_decode(s, &sig, &sig_size) < 0)
                return fail(ret_error, "\"signature\" missing or not base64");
        if (!json_object_object_get_ex(doc, "akPublic", &v) || !(s = get_string(v, "tpm2bPublic")) ||
            base64_decode(s, &pub, &pub_size) < 0)
                return fail(ret_error, "\"akPublic\".\"tpm2bPublic\" missing or not base64");
        if (!json_object_object_get_ex(doc, "eventLog", &events))
                return fail(ret_error, "\"eventLog\" missing");
        r = attest_log_from_json(events, &log, ret_error);
        if (r < 0)
                return r;
        r = attest_public_to_pkey(pub, pub_size, &ak);
        if (r == -EOPNOTSUPP)
                return fail(ret_error, "the attestation key is neither ECC P-256 nor RSA");
        if (r < 0)
                return r == -EBADMSG ? fail(ret_error, "\"akPublic\".\"tpm2bPublic\" is not a TPM2B_PUBLIC") : r;
        if (Tss2_MU_TPMS_ATTEST_Unmarshal(quote, quote_size, &offset, &attest) != TSS2_RC_SUCCESS || offset != quote_size)
                return fail(ret_error, "\"quote\" is not a TPMS_ATTEST");

        /* The signature first: nothing in the quote means anything unless the AK signed it. */
        if (expected_ak && EVP_PKEY_eq(ak, expected_ak) != 1) {
                r = problem(ret_problems, "attestation key differs from the one given with --ak=");
                if (r < 0)
                        return r;
        }
        r = signature_valid(ak, quote, quote_size, sig, sig_size);
        if (r == -EBADMSG)
                return fail(ret_error, "\"signature\" is not a TPMT_SIGNATURE");
        if (r < 0)
                return r;
        if (r == 0)
                return problem(ret_problems, "quote signature invalid: not made by the attestation key");

        if (attest.magic != TPM2_GENERATED_VALUE || attest.type != TPM2_ST_ATTEST_QUOTE)
                return problem(ret_problems, "not a TPM quote (TPMS_ATTEST magic or type)");
        if (attest.extraData.size != nonce_size || memcmp(attest.extraData.buffer, nonce, nonce_size) != 0) {
                r = problem(ret_problems, "nonce differs: the quote is not an answer to this nonce");
                if (r < 0)
                        return r;
        }

        /* The PCR digest: SHA-256 over the selected PCRs' values in the order of their numbers. PCR 8's
         * must be what the log replays to; the others' are the document's, which the digest binds. */
        r = quoted_pcrs(&attest, &mask);
        if (r < 0 || !(mask & (UINT32_C(1) << ATTEST_PCR)))
                r = problem(ret_problems, "the quote is not over sha256 PCR %u", ATTEST_PCR);
        else {
                r = attest_log_replay(&log, ATTEST_PCR, replayed);
                if (r < 0)
                        return fail(ret_error, "an event for PCR %u has no sha256 digest", ATTEST_PCR);
                r = pcr_digest(doc, mask, replayed, digest, ret_error);
                if (r < 0)
                        return r;
                if (attest.attested.quote.pcrDigest.size != sizeof digest ||
                    memcmp(attest.attested.quote.pcrDigest.buffer, digest, sizeof digest) != 0)
                        r = problem(ret_problems,
                                    mask == UINT32_C(1) << ATTEST_PCR ?
                                            "PCR %u digest does not match the event log (a measurement not "
                                            "in the log, or a log edited after the fact)" :
                                            "PCR digest does not match the event log of PCR %u and the "
                                            "document's values of the other PCRs quoted (a measurement not in "
                                            "the log, a log edited after the fact, or a value edited)",
                                    ATTEST_PCR);
                else if (r >= 0 && doc_pcr_differs(doc, replayed))
                        r = problem(ret_problems, "\"pcrs\".\"%u\" is not the value the event log replays to",
                                    ATTEST_PCR);
        }
        if (r < 0)
                return r;
        r = uncovered_pcrs(doc, mask, ret_problems);
        if (r < 0)
                return r;
        if (ret_pcr_mask)
                *ret_pcr_mask = mask;

        r = compare_events(&log, golden, ret_problems);
        if (r < 0)
                return r;
        return compare_posture_record(doc, &log, ret_problems, ret_error);
}
