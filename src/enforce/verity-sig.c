/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <blkid.h>
#include <ctype.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "fs-util.h"
#include "json-util.h"
#include "parse-util.h"
#include "pkcs7-sign.h"
#include "string-util.h"
#include "verity-sig.h"
#include "verity.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(PKCS7 *, PKCS7_free);

void verity_sig_done(VeritySig *s) {
        free(s->root_hash);
        free(s->der);
        free(s->certificate_fingerprint);
        *s = (VeritySig){};
}

static int canonical_root_hash(const char *root_hash, char **ret, char **ret_error) {
        uint8_t raw[VERITY_ROOT_HASH_MAX];
        int n;

        n = verity_root_hash_parse(root_hash, raw);
        if (n < 16)
                return reason_fail_errno(ret_error, -EINVAL,
                                         "'%s' is not a root hash: expected 32 to 128 hexadecimal digits", root_hash);
        *ret = hexmem(raw, (size_t) n);
        return *ret ? 0 : -ENOMEM;
}

int verity_sig_sign(const char *root_hash, const char *key_path, const char *cert_path, VeritySig *ret, char **ret_error) {
        _cleanup_(pkcs7_signature_done) Pkcs7Signature p = {};
        _cleanup_(verity_sig_done) VeritySig s = {};
        int r;

        r = canonical_root_hash(root_hash, &s.root_hash, ret_error);
        if (r < 0)
                return r;

        /* What the kernel checks: the hexadecimal text itself, detached. */
        r = pkcs7_sign(s.root_hash, strlen(s.root_hash), key_path, cert_path, PKCS7_SIGN_DETACHED, &p, ret_error);
        if (r < 0)
                return r;
        s.der = TAKE_PTR(p.der);
        s.der_size = p.der_size;
        s.certificate_fingerprint = TAKE_PTR(p.certificate_fingerprint);

        *ret = s;
        s = (VeritySig){};
        return 0;
}

int verity_sig_to_partition(const VeritySig *s, char **ret, size_t *ret_size) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_free_ char *b64 = NULL;
        const char *text;
        size_t n, size;
        char *buf;

        assert(s->root_hash && s->der);

        b64 = malloc(4 * ((s->der_size + 2) / 3) + 1);
        if (!b64)
                return -ENOMEM;
        (void) EVP_EncodeBlock((unsigned char *) b64, s->der, (int) s->der_size);

        j = json_object_new_object();
        if (!j || json_object_object_add(j, "rootHash", json_object_new_string(s->root_hash)) < 0 ||
            json_object_object_add(j, "signature", json_object_new_string(b64)) < 0 ||
            (s->certificate_fingerprint &&
             json_object_object_add(j, "certificateFingerprint", json_object_new_string(s->certificate_fingerprint)) < 0))
                return -ENOMEM;

        text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!text)
                return -ENOMEM;
        n = strlen(text);
        size = (n + 1 + VERITY_SIG_PARTITION_ALIGN - 1) / VERITY_SIG_PARTITION_ALIGN * VERITY_SIG_PARTITION_ALIGN;
        buf = calloc(1, size);
        if (!buf)
                return -ENOMEM;
        memcpy(buf, text, n);
        buf[n] = '\n';
        *ret = buf;
        *ret_size = size;
        return 0;
}

static int parse_partition(const char *buf, size_t size, VeritySig *ret, char **ret_error) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_(verity_sig_done) VeritySig s = {};
        struct json_tokener *tok;
        struct json_object *v;
        const char *rh, *sig, *fp;
        size_t end, sig_len;
        int n;

        /* The JSON object, then nothing but whitespace and the NUL padding. */
        end = strnlen(buf, size);
        for (size_t i = end; i < size; i++)
                if (buf[i] != 0)
                        return reason_fail_errno(ret_error, -EBADMSG,
                                                 "data after the padding of the signature partition");
        tok = json_tokener_new();
        if (!tok)
                return -ENOMEM;
        j = json_tokener_parse_ex(tok, buf, (int) end);
        n = (int) json_tokener_get_parse_end(tok);
        json_tokener_free(tok);
        if (!j || !json_object_is_type(j, json_type_object))
                return reason_fail_errno(ret_error, -EBADMSG, "the signature partition does not hold a JSON object");
        for (size_t i = (size_t) n; i < end; i++)
                if (!isspace((unsigned char) buf[i]))
                        return reason_fail_errno(ret_error, -EBADMSG,
                                                 "text after the JSON object of the signature partition");

        rh = json_object_object_get_ex(j, "rootHash", &v) && json_object_is_type(v, json_type_string) ?
                     json_object_get_string(v) :
                     NULL;
        sig = json_object_object_get_ex(j, "signature", &v) && json_object_is_type(v, json_type_string) ?
                      json_object_get_string(v) :
                      NULL;
        fp = json_object_object_get_ex(j, "certificateFingerprint", &v) && json_object_is_type(v, json_type_string) ?
                     json_object_get_string(v) :
                     NULL;
        if (!rh || !sig)
                return reason_fail_errno(ret_error, -EBADMSG, "the signature partition lacks %s",
                                         !rh ? "\"rootHash\"" : "\"signature\"");
        if (canonical_root_hash(rh, &s.root_hash, NULL) < 0 || !streq(s.root_hash, rh))
                return reason_fail_errno(ret_error, -EBADMSG, "\"rootHash\" is not a lowercase hexadecimal root hash");
        if (fp && (strlen(fp) != 64 || !hex_string_is_valid(fp, 32, 32)))
                return reason_fail_errno(ret_error, -EBADMSG, "\"certificateFingerprint\" is not a hexadecimal SHA-256");

        /* Base64 without line breaks; EVP_DecodeBlock counts the padding as bytes, so take it off. */
        sig_len = strlen(sig);
        if (sig_len == 0 || sig_len % 4 != 0 || sig_len / 4 * 3 > VERITY_SIG_DER_MAX)
                return reason_fail_errno(ret_error, -EBADMSG, "\"signature\" is not Base64 of a signature");
        s.der = malloc(sig_len / 4 * 3);
        if (!s.der)
                return -ENOMEM;
        n = EVP_DecodeBlock(s.der, (const unsigned char *) sig, (int) sig_len);
        if (n <= 0)
                return reason_fail_errno(ret_error, -EBADMSG, "\"signature\" is not Base64");
        s.der_size = (size_t) n - (sig[sig_len - 1] == '=') - (sig[sig_len - 2] == '=');
        if (fp) {
                s.certificate_fingerprint = strdup(fp);
                if (!s.certificate_fingerprint)
                        return -ENOMEM;
        }

        *ret = s;
        s = (VeritySig){};
        return 0;
}

int verity_sig_parse(const void *buf, size_t size, VeritySig *ret, char **ret_error) {
        _cleanup_(PKCS7_freep) PKCS7 *p7 = NULL;
        _cleanup_(verity_sig_done) VeritySig s = {};
        const unsigned char *p = buf;
        int r;

        if (size == 0)
                return reason_fail_errno(ret_error, -EBADMSG, "the signature is empty");
        if (size > VERITY_SIG_PARTITION_MAX)
                return reason_fail_errno(ret_error, -EBADMSG, "the signature is larger than %u KiB",
                                         VERITY_SIG_PARTITION_MAX / 1024);

        if (p[0] == '{') {
                r = parse_partition(buf, size, &s, ret_error);
                if (r < 0)
                        return r;
        } else {
                if (size > VERITY_SIG_DER_MAX)
                        return reason_fail_errno(ret_error, -EBADMSG, "the signature is larger than %u KiB",
                                                 VERITY_SIG_DER_MAX / 1024);
                s.der = malloc(size);
                if (!s.der)
                        return -ENOMEM;
                memcpy(s.der, buf, size);
                s.der_size = size;
        }

        /* Whichever the form, what it carries must be PKCS#7, and nothing but it. */
        p = s.der;
        p7 = d2i_PKCS7(NULL, &p, (long) s.der_size);
        if (!p7 || p != s.der + s.der_size || !PKCS7_type_is_signed(p7)) {
                ERR_clear_error();
                return reason_fail_errno(ret_error, -EBADMSG, "the signature is not a PKCS#7 signature (DER)");
        }

        *ret = s;
        s = (VeritySig){};
        return 0;
}

const char *verity_sig_usr_partition_type(void) {
#if defined(__x86_64__)
        return "e7bb33fb-06cf-4e81-8273-e543b413e2e2";
#elif defined(__aarch64__)
        return "c23ce4ff-44bd-4b00-b2d4-b41b3419e02a";
#elif defined(__i386__)
        return "974a71c0-de41-43c3-be5d-5c5ccd1ad2c0";
#else
        return NULL;
#endif
}

DEFINE_TRIVIAL_CLEANUP_FUNC(blkid_probe, blkid_free_probe);

int verity_sig_read_partition(const char *disk, const char *type_uuid, char **ret, size_t *ret_size) {
        _cleanup_(blkid_free_probep) blkid_probe pr = NULL;
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        blkid_partlist list;
        uint64_t start = 0, size = 0;
        struct stat st;
        bool found = false;
        size_t n = 0;
        int k;

        fd = open(disk, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
                return -EBADFD;

        pr = blkid_new_probe();
        if (!pr)
                return -ENOMEM;
        if (blkid_probe_set_device(pr, fd, 0, 0) < 0 || blkid_probe_enable_superblocks(pr, 0) < 0 ||
            blkid_probe_enable_partitions(pr, 1) < 0 ||
            blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS) < 0)
                return -EIO;
        if (blkid_do_safeprobe(pr) < 0)
                return -EIO;
        list = blkid_probe_get_partitions(pr);
        if (!list)
                return -ENOENT;

        for (int i = 0, m = blkid_partlist_numof_partitions(list); i < m && !found; i++) {
                blkid_partition p = blkid_partlist_get_partition(list, i);
                const char *t = p ? blkid_partition_get_type_string(p) : NULL;

                if (!t || strcasecmp(t, type_uuid) != 0)
                        continue;
                if (blkid_partition_get_start(p) < 0 || blkid_partition_get_size(p) <= 0)
                        return -EBADMSG;
                start = (uint64_t) blkid_partition_get_start(p) * 512;
                size = (uint64_t) blkid_partition_get_size(p) * 512;
                found = true;
        }
        if (!found)
                return -ENOENT;

        /* The JSON is small: a bounded part of the partition is all that is read. */
        size = MIN(size, (uint64_t) VERITY_SIG_PARTITION_MAX);
        buf = malloc(size);
        if (!buf)
                return -ENOMEM;
        while (n < size && (k = (int) pread(fd, buf + n, size - n, (off_t) (start + n))) != 0) {
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                n += (size_t) k;
        }
        if (n < size)
                return -EBADMSG; /* the table says more than the disk has */
        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 0;
}

int verity_sig_partition_disk(const char *partition, char **ret) {
        char sys[PATH_MAX], link[64], *s;
        struct stat st;
        unsigned maj, min;
        FILE *f;
        int r;

        if (stat(partition, &st) < 0)
                return -errno;
        if (!S_ISBLK(st.st_mode))
                return -ENOTBLK;
        /* /sys/dev/block/MAJ:MIN is the partition; its directory's parent is the disk, with its dev file. */
        snprintf(link, sizeof(link), "/sys/dev/block/%u:%u/partition", major(st.st_rdev), minor(st.st_rdev));
        if (access(link, F_OK) < 0)
                return errno == ENOENT ? -EMEDIUMTYPE : -errno;
        snprintf(link, sizeof(link), "/sys/dev/block/%u:%u/../dev", major(st.st_rdev), minor(st.st_rdev));
        if (!realpath(link, sys))
                return -errno;
        f = fopen(sys, "re");
        if (!f)
                return -errno;
        r = fscanf(f, "%u:%u", &maj, &min) == 2 ? 0 : -EBADMSG;
        fclose(f);
        if (r < 0)
                return r;
        s = strprintf("/dev/block/%u:%u", maj, min);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}
