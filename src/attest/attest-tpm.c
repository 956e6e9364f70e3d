/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>
#include <unistd.h>

#include "atomic-file.h"
#include "attest-tpm.h"
#include "dlopen-util.h"
#include "fs-util.h"
#include "log.h"
#include "path-util.h"
#include "string-util.h"

/* ESAPI, the TCTI loader and the error decoder are opened when a TPM is, not linked: they and the libraries
 * they pull in (libtss2-sys among them) would cost every run of hardenctl their loading and relocation,
 * and only attest and the measurement talk to a TPM. Each AttestTpm holds its own references and
 * function pointers. (libtss2-mu, which marshals without a TPM, is linked: verify-attestation uses it.) */
typedef struct TssFunctions {
        typeof(Esys_Initialize) *Esys_Initialize;
        typeof(Esys_Finalize) *Esys_Finalize;
        typeof(Esys_Free) *Esys_Free;
        typeof(Esys_PCR_Extend) *Esys_PCR_Extend;
        typeof(Esys_PCR_Read) *Esys_PCR_Read;
        typeof(Esys_CreatePrimary) *Esys_CreatePrimary;
        typeof(Esys_ContextLoad) *Esys_ContextLoad;
        typeof(Esys_ContextSave) *Esys_ContextSave;
        typeof(Esys_ReadPublic) *Esys_ReadPublic;
        typeof(Esys_TR_FromTPMPublic) *Esys_TR_FromTPMPublic;
        typeof(Esys_TR_Close) *Esys_TR_Close;
        typeof(Esys_NV_ReadPublic) *Esys_NV_ReadPublic;
        typeof(Esys_NV_Read) *Esys_NV_Read;
        typeof(Esys_GetCapability) *Esys_GetCapability;
        typeof(Esys_Quote) *Esys_Quote;
        typeof(Esys_FlushContext) *Esys_FlushContext;
        typeof(Tss2_TctiLdr_Initialize) *Tss2_TctiLdr_Initialize;
        typeof(Tss2_TctiLdr_Finalize) *Tss2_TctiLdr_Finalize;
        typeof(Tss2_RC_Decode) *Tss2_RC_Decode;
} TssFunctions;

enum { TSS_ESYS, TSS_TCTILDR, TSS_RC, _TSS_LIBRARY_MAX };

#define TSS_SYMBOL(name) DLOPEN_SYMBOL(TssFunctions, name)
static const DlopenSymbol esys_symbols[] = {
        TSS_SYMBOL(Esys_Initialize),       TSS_SYMBOL(Esys_Finalize),      TSS_SYMBOL(Esys_Free),
        TSS_SYMBOL(Esys_PCR_Extend),       TSS_SYMBOL(Esys_PCR_Read),      TSS_SYMBOL(Esys_CreatePrimary),
        TSS_SYMBOL(Esys_ContextLoad),      TSS_SYMBOL(Esys_ContextSave),   TSS_SYMBOL(Esys_ReadPublic),
        TSS_SYMBOL(Esys_TR_FromTPMPublic), TSS_SYMBOL(Esys_TR_Close),      TSS_SYMBOL(Esys_NV_ReadPublic),
        TSS_SYMBOL(Esys_NV_Read),          TSS_SYMBOL(Esys_GetCapability), TSS_SYMBOL(Esys_Quote),
        TSS_SYMBOL(Esys_FlushContext),
};
static const DlopenSymbol tctildr_symbols[] = {
        TSS_SYMBOL(Tss2_TctiLdr_Initialize),
        TSS_SYMBOL(Tss2_TctiLdr_Finalize),
};
static const DlopenSymbol rc_symbols[] = {
        TSS_SYMBOL(Tss2_RC_Decode),
};

/* The sonames of Debian 12's tpm2-tss 3.2 and Debian 13's 4.1 alike. */
static const struct {
        const char *soname;
        const DlopenSymbol *symbols;
        size_t n_symbols;
} tss_libraries[_TSS_LIBRARY_MAX] = {
        [TSS_ESYS] = { ATTEST_TPM_LIBRARY, esys_symbols, ELEMENTSOF(esys_symbols) },
        [TSS_TCTILDR] = { "libtss2-tctildr.so.0", tctildr_symbols, ELEMENTSOF(tctildr_symbols) },
        [TSS_RC] = { "libtss2-rc.so.0", rc_symbols, ELEMENTSOF(rc_symbols) },
};

struct AttestTpm {
        void *libraries[_TSS_LIBRARY_MAX];
        TssFunctions f;
        TSS2_TCTI_CONTEXT *tcti;
        ESYS_CONTEXT *esys;
};

static int tss_open(AttestTpm *t) {
        for (size_t i = 0; i < _TSS_LIBRARY_MAX; i++) {
                int r = dlopen_symbols(tss_libraries[i].soname, tss_libraries[i].symbols, tss_libraries[i].n_symbols,
                                       &t->f, &t->libraries[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* tpm2-tss reports TSS2_RC codes; they are logged here at debug level and become -EIO. */
static int tss_error(AttestTpm *t, TSS2_RC rc, const char *what) {
        log_debug("%s: %s", what, t->f.Tss2_RC_Decode(rc));
        return -EIO;
}

int attest_tpm_open(const char *tcti, AttestTpm **ret) {
        AttestTpm *t;
        TSS2_RC rc;
        int r;

        assert(ret);

        if (!tcti) {
                if (access(ATTEST_TPM_DEVICE, F_OK) < 0)
                        return errno == ENOENT ? -ENODEV : -errno;
                tcti = ATTEST_TPM_DEFAULT_TCTI;
        }
        t = new0(AttestTpm, 1);
        if (!t)
                return -ENOMEM;
        r = tss_open(t);
        if (r < 0) {
                attest_tpm_free(t);
                return r;
        }
        rc = t->f.Tss2_TctiLdr_Initialize(tcti, &t->tcti);
        if (rc != TSS2_RC_SUCCESS) {
                r = tss_error(t, rc, "Tss2_TctiLdr_Initialize");
                attest_tpm_free(t);
                return r;
        }
        rc = t->f.Esys_Initialize(&t->esys, t->tcti, NULL);
        if (rc != TSS2_RC_SUCCESS) {
                r = tss_error(t, rc, "Esys_Initialize");
                attest_tpm_free(t);
                return r;
        }
        *ret = t;
        return 0;
}

AttestTpm *attest_tpm_free(AttestTpm *t) {
        if (!t)
                return NULL;
        if (t->esys)
                t->f.Esys_Finalize(&t->esys);
        if (t->tcti)
                t->f.Tss2_TctiLdr_Finalize(&t->tcti);
        for (size_t i = 0; i < _TSS_LIBRARY_MAX; i++)
                if (t->libraries[i])
                        dlclose(t->libraries[i]);
        free(t);
        return NULL;
}

static TPML_PCR_SELECTION pcr_selection(uint32_t mask) {
        TPML_PCR_SELECTION s = {
                .count = 1,
                .pcrSelections[0] = { .hash = TPM2_ALG_SHA256, .sizeofSelect = 3 },
        };

        for (unsigned i = 0; i < 3; i++)
                s.pcrSelections[0].pcrSelect[i] = (uint8_t) (mask >> (8 * i));
        return s;
}

int attest_tpm_extend(AttestTpm *t, unsigned pcr, const uint8_t digest[static ATTEST_DIGEST_SIZE]) {
        TPML_DIGEST_VALUES values = { .count = 1, .digests[0] = { .hashAlg = TPM2_ALG_SHA256 } };
        TSS2_RC rc;

        if (pcr > 23)
                return -EINVAL;
        memcpy(values.digests[0].digest.sha256, digest, ATTEST_DIGEST_SIZE);
        rc = t->f.Esys_PCR_Extend(t->esys, ESYS_TR_PCR0 + pcr, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &values);
        if (rc != TSS2_RC_SUCCESS)
                return tss_error(t, rc, "Esys_PCR_Extend");
        return 0;
}

int attest_tpm_read_pcr(AttestTpm *t, unsigned pcr, uint8_t ret[static ATTEST_DIGEST_SIZE]) {
        TPML_PCR_SELECTION sel = pcr_selection(UINT32_C(1) << (pcr % ATTEST_PCR_COUNT)), *out_sel = NULL;
        TPML_DIGEST *values = NULL;
        UINT32 counter;
        TSS2_RC rc;
        int r = 0;

        if (pcr > 23)
                return -EINVAL;
        rc = t->f.Esys_PCR_Read(t->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &sel, &counter, &out_sel, &values);
        if (rc != TSS2_RC_SUCCESS)
                return tss_error(t, rc, "Esys_PCR_Read");
        if (values->count != 1 || values->digests[0].size != ATTEST_DIGEST_SIZE)
                r = -EIO;
        else
                memcpy(ret, values->digests[0].buffer, ATTEST_DIGEST_SIZE);
        t->f.Esys_Free(out_sel);
        t->f.Esys_Free(values);
        return r;
}

void attest_quote_done(AttestQuote *q) {
        if (!q)
                return;
        free(q->attest);
        free(q->signature);
        free(q->ak_public);
        free(q->ek_certificate);
        *q = (AttestQuote){};
}

/* The attestation key: restricted, signing only, ECDSA with SHA-256 on P-256, never leaves the TPM. As a
 * primary key of the endorsement hierarchy it is the same key every time this TPM makes it. */
static int ak_create(AttestTpm *t, ESYS_TR *ret) {
        static const TPM2B_SENSITIVE_CREATE sensitive = {};
        static const TPM2B_DATA outside = {};
        static const TPML_PCR_SELECTION no_pcrs = {};
        const TPM2B_PUBLIC template = {
                .publicArea = {
                        .type = TPM2_ALG_ECC,
                        .nameAlg = TPM2_ALG_SHA256,
                        .objectAttributes = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT |
                                            TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
                                            TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH |
                                            TPMA_OBJECT_NODA,
                        .parameters.eccDetail = {
                                .symmetric.algorithm = TPM2_ALG_NULL,
                                .scheme = { .scheme = TPM2_ALG_ECDSA, .details.ecdsa.hashAlg = TPM2_ALG_SHA256 },
                                .curveID = TPM2_ECC_NIST_P256,
                                .kdf.scheme = TPM2_ALG_NULL,
                        },
                },
        };
        TSS2_RC rc;

        rc = t->f.Esys_CreatePrimary(t->esys, ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                     &sensitive, &template, &outside, &no_pcrs, ret, NULL, NULL, NULL, NULL);
        if (rc != TSS2_RC_SUCCESS)
                return tss_error(t, rc, "Esys_CreatePrimary");
        return 0;
}

static int ak_load(AttestTpm *t, const char *path, ESYS_TR *ret) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        TPMS_CONTEXT context = {};
        size_t size, offset = 0;
        TSS2_RC rc;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        r = read_full_fd(fd, sizeof(TPMS_CONTEXT) * 2, &buf, &size);
        if (r < 0)
                return r;
        rc = Tss2_MU_TPMS_CONTEXT_Unmarshal((const uint8_t *) buf, size, &offset, &context);
        if (rc != TSS2_RC_SUCCESS || offset != size)
                return -EBADMSG;
        rc = t->f.Esys_ContextLoad(t->esys, &context, ret);
        if (rc != TSS2_RC_SUCCESS)
                return tss_error(t, rc, "Esys_ContextLoad");
        return 0;
}

static int ak_save(AttestTpm *t, ESYS_TR handle, const char *path) {
        TPMS_CONTEXT *context = NULL;
        uint8_t buf[sizeof(TPMS_CONTEXT) + 64];
        size_t size = 0;
        TSS2_RC rc;

        rc = t->f.Esys_ContextSave(t->esys, handle, &context);
        if (rc != TSS2_RC_SUCCESS)
                return tss_error(t, rc, "Esys_ContextSave");
        rc = Tss2_MU_TPMS_CONTEXT_Marshal(context, buf, sizeof buf, &size);
        t->f.Esys_Free(context);
        if (rc != TSS2_RC_SUCCESS)
                return -EIO;

        return atomic_file_write(path, buf, size, 0600, 0);
}

static int marshal_public(AttestTpm *t, ESYS_TR handle, AttestQuote *q) {
        TPM2B_PUBLIC *pub = NULL;
        size_t size = 0;
        TSS2_RC rc;

        rc = t->f.Esys_ReadPublic(t->esys, handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &pub, NULL, NULL);
        if (rc != TSS2_RC_SUCCESS)
                return tss_error(t, rc, "Esys_ReadPublic");
        q->ak_public = malloc(sizeof(TPM2B_PUBLIC));
        if (!q->ak_public) {
                t->f.Esys_Free(pub);
                return -ENOMEM;
        }
        rc = Tss2_MU_TPM2B_PUBLIC_Marshal(pub, q->ak_public, sizeof(TPM2B_PUBLIC), &size);
        t->f.Esys_Free(pub);
        if (rc != TSS2_RC_SUCCESS)
                return -EIO;
        q->ak_public_size = size;
        return 0;
}

/* The EK certificates' NV indices (TCG EK Credential Profile 2.3): RSA 2048, ECC P-256, RSA 3072, ECC
 * P-384. swtpm_setup --create-ek-cert writes the first and the last. */
static const TPM2_HANDLE ek_certificate_indices[] = { 0x01c00002, 0x01c0000a, 0x01c0001c, 0x01c00016 };

static int read_nv(AttestTpm *t, TPM2_HANDLE index, uint8_t **ret, size_t *ret_size) {
        _cleanup_free_ uint8_t *buf = NULL;
        TPM2B_NV_PUBLIC *pub = NULL;
        ESYS_TR nv = ESYS_TR_NONE;
        size_t size;
        TSS2_RC rc;
        int r = 0;

        rc = t->f.Esys_TR_FromTPMPublic(t->esys, index, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &nv);
        if (rc != TSS2_RC_SUCCESS)
                return -ENOENT;
        rc = t->f.Esys_NV_ReadPublic(t->esys, nv, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &pub, NULL);
        if (rc != TSS2_RC_SUCCESS) {
                r = tss_error(t, rc, "Esys_NV_ReadPublic");
                goto finish;
        }
        size = pub->nvPublic.dataSize;
        buf = malloc(size ?: 1);
        if (!buf) {
                r = -ENOMEM;
                goto finish;
        }
        for (size_t offset = 0; offset < size;) {
                UINT16 chunk = (UINT16) MIN(size - offset, (size_t) 512);
                TPM2B_MAX_NV_BUFFER *data = NULL;

                rc = t->f.Esys_NV_Read(t->esys, nv, nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, chunk,
                                       (UINT16) offset, &data);
                if (rc != TSS2_RC_SUCCESS) {
                        r = tss_error(t, rc, "Esys_NV_Read");
                        goto finish;
                }
                memcpy(buf + offset, data->buffer, MIN((size_t) data->size, (size_t) chunk));
                offset += chunk;
                t->f.Esys_Free(data);
        }
        *ret = TAKE_PTR(buf);
        *ret_size = size;
finish:
        t->f.Esys_Free(pub);
        (void) t->f.Esys_TR_Close(t->esys, &nv);
        return r;
}

/* Whether the TPM has an NV index defined: asked first, so that a TPM without an EK certificate (most
 * virtual ones) costs no failed command, nor tpm2-tss's error lines on stderr. */
static int nv_defined(AttestTpm *t, TPM2_HANDLE index) {
        TPMS_CAPABILITY_DATA *cap = NULL;
        TPMI_YES_NO more = TPM2_NO;
        TSS2_RC rc;
        bool found;

        rc = t->f.Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES, index, 1,
                                     &more, &cap);
        if (rc != TSS2_RC_SUCCESS)
                return tss_error(t, rc, "Esys_GetCapability");
        found = cap->data.handles.count > 0 && cap->data.handles.handle[0] == index;
        t->f.Esys_Free(cap);
        return found;
}

static int read_ek_certificate(AttestTpm *t, AttestQuote *q) {
        for (size_t i = 0; i < ELEMENTSOF(ek_certificate_indices); i++) {
                int r = nv_defined(t, ek_certificate_indices[i]);

                if (r <= 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                r = read_nv(t, ek_certificate_indices[i], &q->ek_certificate, &q->ek_certificate_size);
                if (r != -ENOENT)
                        return r;
        }
        return 0;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_MD_CTX *, EVP_MD_CTX_free);

/* Whether the quote's PCR digest is SHA-256 over values (those of mask, in the order of their numbers). */
static bool quote_matches(const TPM2B_ATTEST *quoted, uint32_t mask, uint8_t values[][ATTEST_DIGEST_SIZE]) {
        _cleanup_(EVP_MD_CTX_freep) EVP_MD_CTX *md = EVP_MD_CTX_new();
        uint8_t digest[ATTEST_DIGEST_SIZE];
        TPMS_ATTEST a = {};
        size_t offset = 0;

        if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
            Tss2_MU_TPMS_ATTEST_Unmarshal(quoted->attestationData, quoted->size, &offset, &a) != TSS2_RC_SUCCESS)
                return false;
        for (unsigned i = 0; i < ATTEST_PCR_COUNT; i++)
                if ((mask & (UINT32_C(1) << i)) && EVP_DigestUpdate(md, values[i], ATTEST_DIGEST_SIZE) != 1)
                        return false;
        return EVP_DigestFinal_ex(md, digest, NULL) == 1 && a.attested.quote.pcrDigest.size == sizeof digest &&
               memcmp(a.attested.quote.pcrDigest.buffer, digest, sizeof digest) == 0;
}

int attest_tpm_quote(AttestTpm *t, const char *ak_context_path, const uint8_t *nonce, size_t nonce_size,
                     uint32_t pcr_mask, AttestQuote *ret) {
        _cleanup_(attest_quote_done) AttestQuote q = { .pcr_mask = pcr_mask };
        TPML_PCR_SELECTION sel = pcr_selection(pcr_mask);
        TPMT_SIG_SCHEME scheme = { .scheme = TPM2_ALG_NULL };
        TPM2B_DATA qualifying = {};
        TPM2B_ATTEST *quoted = NULL;
        TPMT_SIGNATURE *signature = NULL;
        ESYS_TR ak = ESYS_TR_NONE;
        size_t size = 0;
        TSS2_RC rc;
        int r;

        if (pcr_mask == 0 || pcr_mask >> ATTEST_PCR_COUNT || nonce_size > sizeof qualifying.buffer)
                return -EINVAL;
        memcpy(qualifying.buffer, nonce, nonce_size);
        qualifying.size = (UINT16) nonce_size;

        r = ak_context_path ? ak_load(t, ak_context_path, &ak) : -ENOENT;
        if (r < 0) {
                if (r != -ENOENT)
                        log_debug_errno(r, "Cannot use the saved attestation key %s, making it again: %m",
                                        ak_context_path);
                r = ak_create(t, &ak);
                if (r < 0)
                        return r;
                if (ak_context_path) {
                        r = ak_save(t, ak, ak_context_path);
                        if (r < 0)
                                log_debug_errno(r, "Cannot keep the attestation key in %s, ignoring: %m",
                                                ak_context_path);
                }
        }

        /* The values are read after the quote: a PCR extended in between (one the firmware or systemd
         * owns) would make them disagree with the quoted digest. Quoted again then, a few times. */
        for (unsigned attempt = 0;; attempt++) {
                rc = t->f.Esys_Quote(t->esys, ak, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &qualifying, &scheme,
                                     &sel, &quoted, &signature);
                if (rc != TSS2_RC_SUCCESS) {
                        r = tss_error(t, rc, "Esys_Quote");
                        goto finish;
                }
                r = 0;
                for (unsigned pcr = 0; r >= 0 && pcr < ATTEST_PCR_COUNT; pcr++)
                        if (pcr_mask & (UINT32_C(1) << pcr))
                                r = attest_tpm_read_pcr(t, pcr, q.pcr_values[pcr]);
                if (r < 0)
                        goto finish;
                if (quote_matches(quoted, pcr_mask, q.pcr_values) || attempt == 2)
                        break;
                log_debug("A quoted PCR changed before it was read, quoting again.");
                t->f.Esys_Free(quoted);
                t->f.Esys_Free(signature);
                quoted = NULL;
                signature = NULL;
        }
        q.attest = malloc(quoted->size ?: 1);
        q.signature = malloc(sizeof(TPMT_SIGNATURE));
        if (!q.attest || !q.signature) {
                r = -ENOMEM;
                goto finish;
        }
        memcpy(q.attest, quoted->attestationData, quoted->size);
        q.attest_size = quoted->size;
        rc = Tss2_MU_TPMT_SIGNATURE_Marshal(signature, q.signature, sizeof(TPMT_SIGNATURE), &size);
        if (rc != TSS2_RC_SUCCESS) {
                r = -EIO;
                goto finish;
        }
        q.signature_size = size;
        r = marshal_public(t, ak, &q);
        if (r >= 0) {
                r = read_ek_certificate(t, &q);
                if (r < 0)
                        log_debug_errno(r, "Cannot read the EK certificate, ignoring: %m");
                r = 0;
        }
finish:
        t->f.Esys_Free(quoted);
        t->f.Esys_Free(signature);
        (void) t->f.Esys_FlushContext(t->esys, ak);
        if (r < 0)
                return r;
        *ret = q;
        q = (AttestQuote){};
        return 0;
}
