/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/ioctl.h>

#include "parse-util.h"
#include "string-util.h"
#include "verity-dm.h"

void verity_table_done(VerityTable *t) {
        free(t->root_hash);
        free(t->algorithm);
        free(t->signature_key);
        *t = (VerityTable){};
}

/* The next word of a table line, which must be there: -EBADMSG if not. */
static int next_word(const char **q, char **ret) {
        int r = extract_first_word(q, ret);

        return r == -ENOMEM ? r : r <= 0 ? -EBADMSG : 0;
}

int verity_table_parse(const char *params, VerityTable *ret) {
        _cleanup_(verity_table_done) VerityTable t = { .on_corruption = "eio" };
        const char *q = params;
        unsigned n_opts = 0;
        int r;

        /* version data hash data_bs hash_bs data_blocks hash_start algorithm digest salt */
        for (int i = 0; i < 10; i++) {
                _cleanup_free_ char *w = NULL;

                r = next_word(&q, &w);
                if (r < 0)
                        return r;
                if (i == 7)
                        t.algorithm = TAKE_PTR(w);
                else if (i == 8) {
                        if (!hex_string_is_valid(w, 16, 64))
                                return -EBADMSG;
                        for (char *c = w; *c; c++)
                                *c = (char) (*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
                        t.root_hash = TAKE_PTR(w);
                }
        }
        /* The optional parameters, counted: absent, there are none. */
        {
                _cleanup_free_ char *w = NULL;

                r = extract_first_word(&q, &w);
                if (r == -ENOMEM)
                        return r;
                if (r > 0 && safe_atou(w, &n_opts) < 0)
                        return -EBADMSG;
        }
        for (unsigned i = 0; i < n_opts; i++) {
                _cleanup_free_ char *w = NULL;

                r = next_word(&q, &w);
                if (r < 0)
                        return r;
                if (streq(w, "root_hash_sig_key_desc") && i + 1 < n_opts) {
                        free(t.signature_key);
                        t.signature_key = NULL;
                        r = next_word(&q, &t.signature_key);
                        if (r < 0)
                                return r;
                        i++;
                } else if (streq(w, "restart_on_corruption"))
                        t.on_corruption = "restart";
                else if (streq(w, "panic_on_corruption"))
                        t.on_corruption = "panic";
                else if (streq(w, "ignore_corruption"))
                        t.on_corruption = "ignore";
        }

        *ret = t;
        t = (VerityTable){};
        return 0;
}

/* The first target of NAME, from the device-mapper ioctl DM_TABLE_STATUS: its table line with
 * DM_STATUS_TABLE_FLAG, its status line without. Two ioctls on /dev/mapper/control are all libdevmapper
 * would do here, without its library, libudev and their loading in every program that reads the state. */
static int dm_first_target(int control, const char *name, uint32_t flags, char **ret_params) {
        size_t size = 16 * 1024;

        if (strlen(name) >= DM_NAME_LEN)
                return -ENXIO;
        for (;;) {
                _cleanup_free_ struct dm_ioctl *io = NULL;
                const struct dm_target_spec *spec;
                const char *params;

                io = calloc(1, size);
                if (!io)
                        return -ENOMEM;
                *io = (struct dm_ioctl){
                        .version = { DM_VERSION_MAJOR, DM_VERSION_MINOR, DM_VERSION_PATCHLEVEL },
                        .data_size = (uint32_t) size,
                        .data_start = sizeof(struct dm_ioctl),
                        .flags = flags,
                };
                strcpy(io->name, name);
                if (ioctl(control, DM_TABLE_STATUS, io) < 0)
                        return negative_errno();
                if (io->flags & DM_BUFFER_FULL_FLAG) {
                        if (size >= 1024 * 1024)
                                return -E2BIG;
                        size *= 4;
                        continue;
                }
                /* The kernel reports how much it wrote; never read past what was allocated. */
                if (io->target_count == 0 || io->data_size > size || io->data_start > io->data_size ||
                    io->data_size - io->data_start < sizeof(struct dm_target_spec))
                        return -EMEDIUMTYPE;
                spec = (const struct dm_target_spec *) ((const char *) io + io->data_start);
                params = (const char *) (spec + 1);
                if (strnlen(spec->target_type, DM_MAX_TYPE_NAME) == DM_MAX_TYPE_NAME ||
                    !streq(spec->target_type, "verity") ||
                    !memchr(params, 0, io->data_size - io->data_start - sizeof(struct dm_target_spec)))
                        return -EMEDIUMTYPE;
                *ret_params = strdup(params);
                return *ret_params ? 0 : -ENOMEM;
        }
}

int verity_dm_read(const char *name, VerityTable *ret_table, char **ret_status) {
        _cleanup_free_ char *table = NULL, *status = NULL;
        _cleanup_close_ int control = -EBADF;
        int r;

        control = open("/dev/mapper/control", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (control < 0)
                /* No device-mapper (no node, or a node with no driver behind it): no such device. */
                return errno == ENOENT || errno == ENODEV ? -ENXIO : negative_errno();
        r = dm_first_target(control, name, DM_STATUS_TABLE_FLAG, &table);
        if (r < 0)
                return r;
        r = dm_first_target(control, name, 0, &status);
        if (r < 0)
                return r;
        r = verity_table_parse(table, ret_table);
        if (r < 0)
                return r;
        if (ret_status) {
                char *s = strdup(status[0] == 'V' ? "verified" : status[0] == 'C' ? "corrupted" : status);

                if (!s) {
                        verity_table_done(ret_table);
                        return -ENOMEM;
                }
                *ret_status = s;
        }
        return 0;
}
