/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "hardenctl.h"
#include "json-util.h"
#include "log.h"
#include "string-table.h"
#include "string-util.h"
#include "verbs.h"
#include "verity-sig.h"
#include "verity.h"

/* systemd finds the usr and usr-verity partitions from usrhash= alone when their partition UUIDs are
 * the first and the last 128 bits of the root hash (the Discoverable Partitions Specification). */
static char *uuid_from_hex(const char *hex) {
        if (strlen(hex) < 32)
                return NULL;
        return strprintf("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static int print_info(const VerityInfo *v) {
        size_t n = strlen(v->root_hash);
        _cleanup_free_ char *usr = uuid_from_hex(v->root_hash),
                            *usr_verity = n >= 32 ? uuid_from_hex(v->root_hash + n - 32) : NULL;

        if (!usr || !usr_verity)
                return log_oom();

        if (arg_json != JSON_OFF) {
                _cleanup_(json_object_putp) struct json_object *j = json_object_new_object();

                if (!j || json_object_object_add(j, "rootHash", json_object_new_string(v->root_hash)) < 0 ||
                    json_object_object_add(j, "salt", json_object_new_string(v->salt)) < 0 ||
                    json_object_object_add(j, "uuid", v->uuid ? json_object_new_string(v->uuid) : NULL) < 0 ||
                    json_object_object_add(j, "hashAlgorithm", json_object_new_string(v->hash_name)) < 0 ||
                    json_object_object_add(j, "dataBlockSize", json_object_new_int64(v->data_block_size)) < 0 ||
                    json_object_object_add(j, "hashBlockSize", json_object_new_int64(v->hash_block_size)) < 0 ||
                    json_object_object_add(j, "dataBlocks", json_object_new_uint64(v->data_blocks)) < 0 ||
                    json_object_object_add(j, "hashOffset", json_object_new_uint64(v->hash_offset)) < 0 ||
                    json_object_object_add(j, "usrPartitionUUID", json_object_new_string(usr)) < 0 ||
                    json_object_object_add(j, "usrVerityPartitionUUID", json_object_new_string(usr_verity)) < 0)
                        return log_oom();
                return json_print(j);
        }

        /* Shell-sourceable KEY=VALUE lines. */
        printf("ROOT_HASH=%s\n"
               "SALT=%s\n"
               "UUID=%s\n"
               "HASH_ALGORITHM=%s\n"
               "DATA_BLOCK_SIZE=%u\n"
               "HASH_BLOCK_SIZE=%u\n"
               "DATA_BLOCKS=%llu\n"
               "HASH_OFFSET=%llu\n"
               "USR_PARTUUID=%s\n"
               "USR_VERITY_PARTUUID=%s\n",
               v->root_hash, v->salt, strempty(v->uuid), v->hash_name, v->data_block_size, v->hash_block_size,
               (unsigned long long) v->data_blocks, (unsigned long long) v->hash_offset, usr, usr_verity);
        return 0;
}

static int verb_verity_format(int argc, char *argv[]) {
        _cleanup_free_ char *error = NULL;
        VerityInfo v = {};
        int r;

        r = verity_format(argv[1], argv[2], arg_hash_offset, &v, &error);
        if (r == -EINVAL && !error)
                return log_error_errno(r,
                                       "Cannot format %s: its size must be a non-zero multiple of 4096 bytes, "
                                       "and a hash tree in the same file must start behind the data.",
                                       argv[1]);
        if (r < 0)
                return log_error_errno(r, "Failed to build the hash tree of %s in %s: %s", argv[1], argv[2],
                                       error ?: strerror(-r));
        r = print_info(&v);
        verity_info_done(&v);
        return r;
}

static int verb_verity_verify(int argc, char *argv[]) {
        _cleanup_free_ char *error = NULL;
        int r;

        r = verity_verify(argv[1], argv[2], arg_hash_offset, argv[3], &error);
        if (r == -EINVAL && !error)
                return log_error_errno(r, "Invalid root hash '%s': expected hexadecimal digits.", argv[3]);
        if (r == -EMSGSIZE)
                return log_error_errno(r, "Root hash '%s' has the wrong length for the hash tree in %s.", argv[3],
                                       argv[2]);
        if (r == -EBADMSG) {
                log_error("Root hash %s does not match the hash tree in %s.", argv[3], argv[2]);
                return EXIT_NOT_COMPLIANT;
        }
        if (r == -EPERM) {
                log_error("%s is corrupted: its data does not match the hash tree in %s.", argv[1], argv[2]);
                return EXIT_NOT_COMPLIANT;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to verify %s against %s: %s", argv[1], argv[2], error ?: strerror(-r));
        if (!arg_quiet)
                printf("%s: verified, root hash %s\n", argv[1], argv[3]);
        return 0;
}

typedef enum SignatureFormat {
        SIGNATURE_FORMAT_DPS,
        SIGNATURE_FORMAT_PKCS7,
        _SIGNATURE_FORMAT_MAX,
} SignatureFormat;

static const char *const signature_format_table[_SIGNATURE_FORMAT_MAX] = {
        [SIGNATURE_FORMAT_DPS] = "dps",
        [SIGNATURE_FORMAT_PKCS7] = "pkcs7",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP_FROM_STRING(signature_format);

static int verb_verity_sign(int argc, char *argv[]) {
        _cleanup_(verity_sig_done) VeritySig s = {};
        _cleanup_(json_object_putp) struct json_object *golden = NULL;
        _cleanup_free_ char *error = NULL, *partition = NULL;
        int format = SIGNATURE_FORMAT_DPS;
        Blob out;
        int r;

        if (!arg_private_key || !arg_certificate)
                return log_error_errno(-EINVAL, "verity sign needs --private-key= and --certificate=.");
        if (arg_format) {
                format = signature_format_from_string(arg_format);
                if (format < 0)
                        return log_error_errno(-EINVAL, "Invalid --format= '%s' for verity sign: expected dps or pkcs7.",
                                               arg_format);
        }
        if (!arg_output && isatty(STDOUT_FILENO))
                return log_error_errno(-EINVAL, "Refusing to write a signature to a terminal: give --output=.");
        if (arg_ipe_policy && !arg_golden)
                return log_error_errno(-EINVAL, "--ipe-policy= is for the golden values: give --golden= too.");

        r = verity_sig_sign(argv[1], arg_private_key, arg_certificate, &s, &error);
        if (r < 0)
                return log_error_errno(r, "Cannot sign the root hash: %s", error ?: strerror(-r));

        /* The golden values of the image this signs, for the boot profile below --root=: computed before
         * anything is written, so that a profile that cannot be loaded leaves nothing behind. */
        if (arg_golden) {
                r = golden_values_build(NULL, s.root_hash, &golden);
                if (r != 0)
                        return r;
        }

        if (format == SIGNATURE_FORMAT_DPS) {
                r = verity_sig_to_partition(&s, &partition, &out.size);
                if (r < 0)
                        return log_oom();
                out.data = partition;
        } else
                out = (Blob){ s.der, s.der_size };

        if (golden) {
                r = output_write(arg_golden, "golden values", 0644, write_json, golden);
                if (r < 0)
                        return r;
                if (!arg_quiet)
                        log_info("Wrote the golden values of %s to %s.", s.root_hash, arg_golden);
        }
        if (arg_output) {
                r = output_write(arg_output, "signature", 0644, write_blob, &out);
                if (r < 0)
                        return r;
                if (!arg_quiet)
                        log_info("Wrote the %s signature of %s (certificate SHA-256 %s) to %s.",
                                 format == SIGNATURE_FORMAT_DPS ? "usr-verity signature partition with the" : "PKCS#7",
                                 s.root_hash, s.certificate_fingerprint, arg_output);
                return 0;
        }
        if (write_blob(stdout, &out) < 0)
                return log_error_errno(-EIO, "Failed to write the signature: %m");
        return flush_stdout();
}

int verb_verity(int argc, char *argv[]) {
        static const Verb verbs[] = {
                { "format", 2, 2, verb_verity_format, "DATA HASH", NULL, O(JSON) | O(HASH_OFFSET) },
                { "verify", 3, 3, verb_verity_verify, "DATA HASH ROOTHASH", NULL, O(HASH_OFFSET) },
                { "sign", 1, 1, verb_verity_sign, "ROOTHASH", NULL,
                  O(FORMAT) | O(OUTPUT) | O(PRIVATE_KEY) | O(CERTIFICATE) | O(GOLDEN) | O(ROOT) | O(LENIENT) |
                          O(IPE_POLICY) },
        };
        static const VerbTable table = {
                .verbs = verbs,
                .n_verbs = ELEMENTSOF(verbs),
                .parent = "verity",
                .option_names = option_names,
                .n_option_names = _OPTION_MAX,
                .has_help = true,
        };

        return verbs_dispatch(&table, argc - 1, argv + 1, arg_options);
}
