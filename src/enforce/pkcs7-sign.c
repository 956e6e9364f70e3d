/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fs-util.h"
#include "pkcs7-sign.h"
#include "string-util.h"

#define PEM_FILE_MAX (256U * 1024U)
#define EMBEDDED_DATA_MAX (1024U * 1024U)

DEFINE_TRIVIAL_CLEANUP_FUNC(BIO *, BIO_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(EVP_PKEY *, EVP_PKEY_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(X509 *, X509_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(PKCS7 *, PKCS7_free);

void pkcs7_signature_done(Pkcs7Signature *s) {
        free(s->der);
        free(s->certificate_fingerprint);
        *s = (Pkcs7Signature){};
}

/* What libcrypto said last, for a message; the queue is emptied. */
static const char *crypto_error(char *buf, size_t size) {
        unsigned long e = ERR_peek_last_error();

        if (e == 0)
                snprintf(buf, size, "unknown error");
        else
                ERR_error_string_n(e, buf, size);
        ERR_clear_error();
        return buf;
}

/* A PEM file into a memory BIO: read with the bounded reader, so that a FIFO or a giant file is refused. */
static int pem_bio(const char *path, BIO **ret, char **ret_error) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t n;
        int r;

        fd = open_regular_at(AT_FDCWD, path, O_RDONLY | O_NOCTTY);
        if (fd < 0)
                return reason_fail_errno(ret_error, fd, "cannot open %s: %s", path,
                                         fd == -EBADFD ? "not a regular file" : strerror(-fd));
        r = read_full_fd(fd, PEM_FILE_MAX, &buf, &n);
        if (r < 0)
                return reason_fail_errno(ret_error, r, "cannot read %s: %s", path,
                                         r == -EFBIG ? "larger than 256 KiB" : strerror(-r));
        /* A memory BIO with its own copy: buf goes with this function. */
        *ret = BIO_new(BIO_s_mem());
        if (!*ret || BIO_write(*ret, buf, (int) n) != (int) n) {
                BIO_free(*ret);
                *ret = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* SHA-256 of the certificate's DER: the certificateFingerprint of the Discoverable Partitions
 * Specification's signature partitions. */
static int cert_fingerprint(X509 *cert, char **ret, char **ret_error) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned md_size = 0;
        char e[256];

        if (X509_digest(cert, EVP_sha256(), md, &md_size) != 1 || md_size != 32)
                return reason_fail_errno(ret_error, -EIO, "cannot hash the certificate: %s", crypto_error(e, sizeof(e)));
        *ret = hexmem(md, md_size);
        return *ret ? 0 : -ENOMEM;
}

int pkcs7_certificate_fingerprint(const char *cert_path, char **ret, char **ret_error) {
        _cleanup_(BIO_freep) BIO *b = NULL;
        _cleanup_(X509_freep) X509 *cert = NULL;
        int r;

        r = pem_bio(cert_path, &b, ret_error);
        if (r < 0)
                return r;
        BIO_set_flags(b, BIO_FLAGS_NONCLEAR_RST); /* a reset rewinds, for the second try */
        cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
        if (!cert) {
                ERR_clear_error();
                (void) BIO_reset(b);
                cert = d2i_X509_bio(b, NULL);
        }
        if (!cert) {
                ERR_clear_error();
                return reason_fail_errno(ret_error, -EINVAL, "%s: not an X.509 certificate (PEM or DER)", cert_path);
        }
        return cert_fingerprint(cert, ret, ret_error);
}

/* A passphrase is never asked for: signing runs in pipelines, without a terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *userdata) {
        *(bool *) userdata = true;
        return 0;
}

int pkcs7_sign(const void *data, size_t size, const char *key_path, const char *cert_path, Pkcs7SignFlags flags,
               Pkcs7Signature *ret, char **ret_error) {
        _cleanup_(BIO_freep) BIO *kb = NULL, *cb = NULL, *in = NULL;
        _cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
        _cleanup_(X509_freep) X509 *cert = NULL;
        _cleanup_(PKCS7_freep) PKCS7 *p7 = NULL;
        _cleanup_(pkcs7_signature_done) Pkcs7Signature s = {};
        unsigned char *der = NULL;
        bool encrypted = false;
        int r, n, f;
        char e[256];

        if (size > INT_MAX)
                return reason_fail_errno(ret_error, -EFBIG, "the data to sign is too large");

        r = pem_bio(key_path, &kb, ret_error);
        if (r < 0)
                return r;
        key = PEM_read_bio_PrivateKey(kb, NULL, no_passphrase, &encrypted);
        if (!key) {
                ERR_clear_error();
                return reason_fail_errno(ret_error, -EINVAL, "%s: %s", key_path,
                                         encrypted ?
                                                 "the private key is encrypted; give it unencrypted (or through a pipe)" :
                                                 "not a PEM private key");
        }

        r = pem_bio(cert_path, &cb, ret_error);
        if (r < 0)
                return r;
        cert = PEM_read_bio_X509(cb, NULL, NULL, NULL);
        if (!cert) {
                ERR_clear_error();
                return reason_fail_errno(ret_error, -EINVAL, "%s: not a PEM X.509 certificate", cert_path);
        }
        if (X509_check_private_key(cert, key) != 1) {
                ERR_clear_error();
                return reason_fail_errno(ret_error, -EINVAL, "the private key %s does not belong to the certificate %s",
                                         key_path, cert_path);
        }

        /* Binary and without signed attributes (PKCS7_NOATTR leaves out the S/MIME capabilities with them):
         * what the kernel's PKCS#7 parser takes. */
        in = BIO_new_mem_buf(data, (int) size);
        if (!in)
                return -ENOMEM;
        f = PKCS7_BINARY | PKCS7_NOATTR | PKCS7_NOSMIMECAP;
        if (flags & PKCS7_SIGN_DETACHED)
                f |= PKCS7_DETACHED;
        p7 = PKCS7_sign(cert, key, NULL, in, f);
        if (!p7)
                return reason_fail_errno(ret_error, -EIO, "signing failed: %s", crypto_error(e, sizeof(e)));
        n = i2d_PKCS7(p7, &der);
        if (n <= 0)
                return reason_fail_errno(ret_error, -EIO, "encoding the signature failed: %s",
                                         crypto_error(e, sizeof(e)));
        s.der = malloc((size_t) n);
        if (!s.der) {
                OPENSSL_free(der);
                return -ENOMEM;
        }
        memcpy(s.der, der, (size_t) n);
        s.der_size = (size_t) n;
        OPENSSL_free(der);

        r = cert_fingerprint(cert, &s.certificate_fingerprint, ret_error);
        if (r < 0)
                return r;

        *ret = s;
        s = (Pkcs7Signature){};
        return 0;
}

int pkcs7_embedded_data(const void *der, size_t size, char **ret, size_t *ret_size) {
        _cleanup_(PKCS7_freep) PKCS7 *p7 = NULL;
        const unsigned char *p = der;
        ASN1_OCTET_STRING *os;
        char *copy;

        if (size == 0 || size > EMBEDDED_DATA_MAX)
                return -EBADMSG;
        p7 = d2i_PKCS7(NULL, &p, (long) size);
        if (!p7 || p != (const unsigned char *) der + size || !PKCS7_type_is_signed(p7) || PKCS7_get_detached(p7) ||
            !p7->d.sign->contents || !PKCS7_type_is_data(p7->d.sign->contents)) {
                ERR_clear_error();
                return -EBADMSG;
        }
        os = p7->d.sign->contents->d.data;
        if (!os || os->length < 0)
                return -EBADMSG;
        copy = malloc((size_t) os->length + 1);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, os->data, (size_t) os->length);
        copy[os->length] = 0;
        *ret = copy;
        *ret_size = (size_t) os->length;
        return 0;
}

/* The key ID the kernel puts after the subject in an X.509 key's description ("CN: ID"): the subject key
 * identifier in hexadecimal, or, for a certificate without one, the serial number's content octets. */
static int kernel_key_id(X509 *cert, char **ret) {
        const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(cert);
        unsigned char *der = NULL;
        size_t h;
        int n;

        if (skid) {
                *ret = hexmem(ASN1_STRING_get0_data(skid), (size_t) ASN1_STRING_length(skid));
                return *ret ? 0 : -ENOMEM;
        }
        /* The serial as DER: tag, length (short or long form), then the content octets. */
        n = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &der);
        if (n < 2) {
                OPENSSL_free(der);
                ERR_clear_error();
                return -EBADMSG;
        }
        h = der[1] < 0x80 ? 2 : 2 + (der[1] & 0x7f);
        *ret = (size_t) n > h ? hexmem(der + h, (size_t) n - h) : NULL;
        OPENSSL_free(der);
        return *ret ? 0 : (size_t) n > h ? -ENOMEM : -EBADMSG;
}

int pkcs7_signer(const void *der, size_t size, char **ret_fingerprint, char **ret_key_id) {
        _cleanup_(PKCS7_freep) PKCS7 *p7 = NULL;
        _cleanup_free_ char *fingerprint = NULL, *key_id = NULL;
        const unsigned char *p = der;
        X509 *cert;
        int r;

        if (size == 0 || size > EMBEDDED_DATA_MAX)
                return -EBADMSG;
        p7 = d2i_PKCS7(NULL, &p, (long) size);
        if (!p7 || p != (const unsigned char *) der + size || !PKCS7_type_is_signed(p7)) {
                ERR_clear_error();
                return -EBADMSG;
        }
        if (sk_PKCS7_SIGNER_INFO_num(PKCS7_get_signer_info(p7)) != 1)
                return -ENOTUNIQ;
        /* The certificate the signer information names by issuer and serial number, among those the
         * signature carries: the one the kernel takes the signer's identity from too. */
        {
                STACK_OF(X509) *signers = PKCS7_get0_signers(p7, NULL, 0);

                if (!signers) {
                        ERR_clear_error();
                        return -ENOKEY;
                }
                cert = sk_X509_value(signers, 0);
                sk_X509_free(signers);
        }
        if (!cert)
                return -ENOKEY;
        r = cert_fingerprint(cert, &fingerprint, NULL);
        if (r < 0)
                return r;
        r = kernel_key_id(cert, &key_id);
        if (r < 0)
                return r;
        *ret_fingerprint = TAKE_PTR(fingerprint);
        if (ret_key_id)
                *ret_key_id = TAKE_PTR(key_id);
        return 0;
}
