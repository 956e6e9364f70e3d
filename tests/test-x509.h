/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Certificates the tests make for themselves: self-signed, valid for an hour. */

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "string-util.h"
#include "tests.h"

/* A self-signed certificate for key: subject and issuer O=o (if not NULL), CN=cn, the serial number, and the
 * subject key identifier skid (hexadecimal) if not NULL. */
static inline X509 *test_x509_self_signed(EVP_PKEY *key, const char *o, const char *cn, long serial, const char *skid) {
        X509 *cert = X509_new();
        X509_NAME *name;

        ck_assert_ptr_nonnull(key);
        ck_assert_ptr_nonnull(cert);
        ck_assert_int_eq(X509_set_version(cert, 2), 1);
        ck_assert_int_eq(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial), 1);
        ck_assert_ptr_nonnull(X509_gmtime_adj(X509_getm_notBefore(cert), 0));
        ck_assert_ptr_nonnull(X509_gmtime_adj(X509_getm_notAfter(cert), 3600));
        ck_assert_int_eq(X509_set_pubkey(cert, key), 1);
        name = X509_get_subject_name(cert);
        if (o)
                ck_assert_int_eq(
                        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *) o, -1, -1, 0), 1);
        ck_assert_int_eq(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *) cn, -1, -1, 0), 1);
        ck_assert_int_eq(X509_set_issuer_name(cert, name), 1);
        if (skid) {
                ASN1_OCTET_STRING *id = ASN1_OCTET_STRING_new();
                uint8_t raw[64];
                size_t n = 0;

                ck_assert_int_eq(hex_decode(skid, raw, sizeof(raw), &n), 0);
                ck_assert_int_eq(ASN1_OCTET_STRING_set(id, raw, (int) n), 1);
                ck_assert_int_eq(X509_add1_ext_i2d(cert, NID_subject_key_identifier, id, 0, X509V3_ADD_DEFAULT), 1);
                ASN1_OCTET_STRING_free(id);
        }
        ck_assert_int_gt(X509_sign(cert, key, EVP_sha256()), 0);
        return cert;
}
