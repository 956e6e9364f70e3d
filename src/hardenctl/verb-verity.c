/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "hardenctl.h"
#include "json-util.h"
#include "log.h"
#include "string-util.h"
#include "verbs.h"
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

int verb_verity(int argc, char *argv[]) {
        static const Verb verbs[] = {
                { "format", 2, 2, verb_verity_format, "DATA HASH" },
                { "verify", 3, 3, verb_verity_verify, "DATA HASH ROOTHASH" },
        };
        static const VerbTable table = {
                .verbs = verbs,
                .n_verbs = ELEMENTSOF(verbs),
                .parent = "verity",
                .has_help = true,
        };

        return verbs_dispatch(&table, argc - 1, argv + 1, 0);
}
