/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "digest.h"
#include "string-util.h"
#include "strv.h"

int digest_crypto_init(void) {
        return OPENSSL_init_crypto(OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS |
                                           OPENSSL_INIT_NO_LOAD_CONFIG,
                                   NULL) == 1 ?
                       0 :
                       -ENOMEM;
}

int sha256_hex(const void *data, size_t size, char ret[static 65]) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned n = 0;

        if (EVP_Digest(data, size, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
                return -EIO;
        hex_encode(md, n, ret);
        return 0;
}

int profile_digest(const Profile *p, char **ret) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned n = 0;
        char hex[65], *t;
        EVP_MD_CTX *ctx;
        int ok;

        if (strv_length(p->source_texts) != strv_length(p->sources))
                return -EINVAL; /* loaded without PROFILE_LOAD_KEEP_TEXT */

        ctx = EVP_MD_CTX_new();
        if (!ctx)
                return -ENOMEM;
        ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
        for (size_t i = 0; ok && p->sources && p->sources[i]; i++)
                ok = EVP_DigestUpdate(ctx, p->sources[i], strlen(p->sources[i]) + 1) &&
                     EVP_DigestUpdate(ctx, p->source_texts[i], strlen(p->source_texts[i]) + 1);
        ok = ok && EVP_DigestFinal_ex(ctx, md, &n);
        EVP_MD_CTX_free(ctx);
        if (!ok || n != 32)
                return -EIO;

        hex_encode(md, n, hex);
        t = strprintf("sha256:%s", hex);
        if (!t)
                return -ENOMEM;
        *ret = t;
        return 0;
}
