/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <libcryptsetup.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "dlopen-util.h"
#include "string-util.h"
#include "verity.h"

/* libcryptsetup is opened when a verity operation runs, not linked: with libdevmapper, libargon2 and the
 * rest it pulls in, it would cost each run of hardenctl more than a compliance check's own work, and
 * only the verity verbs and the boot helper set anything up. Debian 12 and 13 both ship soname 12. */
#define CRYPTSETUP_LIBRARY "libcryptsetup.so.12"

typedef struct CryptFunctions {
        typeof(crypt_init) *crypt_init;
        typeof(crypt_init_data_device) *crypt_init_data_device;
        typeof(crypt_init_by_name) *crypt_init_by_name;
        typeof(crypt_free) *crypt_free;
        typeof(crypt_set_log_callback) *crypt_set_log_callback;
        typeof(crypt_format) *crypt_format;
        typeof(crypt_load) *crypt_load;
        typeof(crypt_volume_key_get) *crypt_volume_key_get;
        typeof(crypt_get_uuid) *crypt_get_uuid;
        typeof(crypt_get_volume_key_size) *crypt_get_volume_key_size;
        typeof(crypt_get_verity_info) *crypt_get_verity_info;
        typeof(crypt_get_dir) *crypt_get_dir;
        typeof(crypt_activate_by_volume_key) *crypt_activate_by_volume_key;
        typeof(crypt_activate_by_signed_key) *crypt_activate_by_signed_key;
        typeof(crypt_deactivate) *crypt_deactivate;
} CryptFunctions;

#define CRYPT_SYMBOL(name) DLOPEN_SYMBOL(CryptFunctions, name)
static const DlopenSymbol crypt_symbols[] = {
        CRYPT_SYMBOL(crypt_init),
        CRYPT_SYMBOL(crypt_init_data_device),
        CRYPT_SYMBOL(crypt_init_by_name),
        CRYPT_SYMBOL(crypt_free),
        CRYPT_SYMBOL(crypt_set_log_callback),
        CRYPT_SYMBOL(crypt_format),
        CRYPT_SYMBOL(crypt_load),
        CRYPT_SYMBOL(crypt_volume_key_get),
        CRYPT_SYMBOL(crypt_get_uuid),
        CRYPT_SYMBOL(crypt_get_volume_key_size),
        CRYPT_SYMBOL(crypt_get_verity_info),
        CRYPT_SYMBOL(crypt_get_dir),
        CRYPT_SYMBOL(crypt_activate_by_volume_key),
        CRYPT_SYMBOL(crypt_activate_by_signed_key),
        CRYPT_SYMBOL(crypt_deactivate),
};

/* One verity operation: the library, the device it works on, and libcryptsetup's last error. */
typedef struct VerityOp {
        void *dl;
        CryptFunctions f;
        struct crypt_device *cd;
        char *last;
} VerityOp;

static void verity_op_done(VerityOp *c) {
        if (c->cd)
                c->f.crypt_free(c->cd);
        if (c->dl)
                dlclose(c->dl);
        free(c->last);
}

/* libcryptsetup reports through a per-device callback: keep its last error, so the caller can say
 * in one line why an operation failed. */
static void log_cb(int level, const char *msg, void *userdata) {
        char **last = userdata;
        _cleanup_free_ char *s = NULL;

        if (level != CRYPT_LOG_ERROR || !msg)
                return;

        s = strdup(msg);
        if (!s)
                return;
        for (size_t n = strlen(s); n > 0 && (s[n - 1] == '\n' || s[n - 1] == '.');)
                s[--n] = 0;
        free(*last);
        *last = TAKE_PTR(s);
}

static int verity_op_open(VerityOp *c, char **ret_error) {
        int r = dlopen_symbols(CRYPTSETUP_LIBRARY, crypt_symbols, ELEMENTSOF(crypt_symbols), &c->f, &c->dl);

        if (r < 0 && ret_error) {
                free(*ret_error);
                *ret_error = strdup(CRYPTSETUP_LIBRARY " (libcryptsetup) is not installed");
        }
        return r;
}

#define VERITY_BLOCK_SIZE 4096U

void verity_info_done(VerityInfo *v) {
        free(v->root_hash);
        free(v->salt);
        free(v->uuid);
        free(v->hash_name);
        *v = (VerityInfo){};
}

int verity_root_hash_parse(const char *hex, uint8_t ret[static VERITY_ROOT_HASH_MAX]) {
        size_t n = strlen(hex);

        if (n == 0 || n % 2 != 0 || n / 2 > VERITY_ROOT_HASH_MAX)
                return -EINVAL;

        for (size_t i = 0; i < n / 2; i++) {
                unsigned v;
                char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };

                if (!isxdigit((unsigned char) b[0]) || !isxdigit((unsigned char) b[1]) || sscanf(b, "%2x", &v) != 1)
                        return -EINVAL;
                ret[i] = (uint8_t) v;
        }
        return (int) (n / 2);
}

/* Passes libcryptsetup's last words, if it had any, on with its error R. */
static int take_error(VerityOp *c, int r, char **ret_error) {
        if (ret_error && c->last) {
                free(*ret_error);
                *ret_error = TAKE_PTR(c->last);
        }
        return r;
}

static int file_size(const char *path, uint64_t *ret) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        struct stat st;

        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISREG(st.st_mode)) {
                *ret = (uint64_t) st.st_size;
                return 0;
        }
        if (S_ISBLK(st.st_mode)) {
                off_t end = lseek(fd, 0, SEEK_END);
                if (end < 0)
                        return negative_errno();
                *ret = (uint64_t) end;
                return 0;
        }
        return -EBADFD;
}

int verity_format(const char *data_path, const char *hash_path, uint64_t hash_offset, VerityInfo *ret, char **ret_error) {
        _cleanup_(verity_op_done) VerityOp c = {};
        uint8_t salt[32], key[VERITY_ROOT_HASH_MAX];
        size_t key_size = sizeof(key);
        uint64_t size;
        struct crypt_params_verity p;
        const char *uuid;
        VerityInfo info = {};
        int r;

        r = file_size(data_path, &size);
        if (r < 0)
                return r;
        if (size == 0 || size % VERITY_BLOCK_SIZE != 0)
                return -EINVAL; /* the data must be whole blocks */
        if (hash_offset > 0 && streq(data_path, hash_path) && hash_offset < size)
                return -EINVAL; /* the tree would overwrite data */

        r = verity_op_open(&c, ret_error);
        if (r < 0)
                return r;

        /* The hash device must exist; an empty file grows as the tree is written. */
        {
                _cleanup_close_ int fd = open(hash_path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
                if (fd < 0)
                        return negative_errno();
        }

        if (getrandom(salt, sizeof(salt), 0) != (ssize_t) sizeof(salt))
                return -EIO;

        r = c.f.crypt_init(&c.cd, hash_path);
        if (r < 0)
                return r;
        c.f.crypt_set_log_callback(c.cd, log_cb, &c.last);

        p = (struct crypt_params_verity){
                .hash_name = "sha256",
                .data_device = data_path,
                .salt = (const char *) salt,
                .salt_size = sizeof(salt),
                .hash_type = 1,
                .data_block_size = VERITY_BLOCK_SIZE,
                .hash_block_size = VERITY_BLOCK_SIZE,
                .data_size = size / VERITY_BLOCK_SIZE,
                .hash_area_offset = hash_offset,
                .flags = CRYPT_VERITY_CREATE_HASH,
        };

        r = c.f.crypt_format(c.cd, CRYPT_VERITY, NULL, NULL, NULL, NULL, 0, &p);
        if (r < 0)
                return take_error(&c, r, ret_error);

        r = c.f.crypt_volume_key_get(c.cd, CRYPT_ANY_SLOT, (char *) key, &key_size, NULL, 0);
        if (r < 0)
                return take_error(&c, r, ret_error);

        uuid = c.f.crypt_get_uuid(c.cd);
        info = (VerityInfo){
                .root_hash = hexmem(key, key_size),
                .salt = hexmem(salt, sizeof(salt)),
                .uuid = uuid ? strdup(uuid) : NULL,
                .hash_name = strdup("sha256"),
                .data_block_size = VERITY_BLOCK_SIZE,
                .hash_block_size = VERITY_BLOCK_SIZE,
                .data_blocks = size / VERITY_BLOCK_SIZE,
                .hash_offset = hash_offset,
        };
        if (!info.root_hash || !info.salt || !info.hash_name || (uuid && !info.uuid)) {
                verity_info_done(&info);
                return -ENOMEM;
        }

        *ret = info;
        return 0;
}

/* Opens the library and loads the verity superblock of the hash device into C. */
static int load(VerityOp *c, const char *data_path, const char *hash_path, uint64_t hash_offset, uint32_t flags,
                char **ret_error) {
        struct crypt_params_verity p = { .hash_area_offset = hash_offset, .flags = flags };
        int r;

        r = verity_op_open(c, ret_error);
        if (r < 0)
                return r;
        r = c->f.crypt_init_data_device(&c->cd, hash_path, data_path);
        if (r < 0)
                return r;
        c->f.crypt_set_log_callback(c->cd, log_cb, &c->last);
        return c->f.crypt_load(c->cd, CRYPT_VERITY, &p);
}

static int check_root_hash_size(VerityOp *c, int n) {
        int k = c->f.crypt_get_volume_key_size(c->cd);

        /* A root hash of the wrong length could never match: say so, rather than "corrupted". */
        return k > 0 && k != n ? -EMSGSIZE : 0;
}

/* libcryptsetup reports a root hash that does not match the tree as -EFAULT, and corrupted data as
 * -EPERM; give the first a code of its own. */
static int map_error(int r) {
        return r == -EFAULT ? -EBADMSG : r;
}

int verity_verify(const char *data_path, const char *hash_path, uint64_t hash_offset, const char *root_hash,
                  char **ret_error) {
        _cleanup_(verity_op_done) VerityOp c = {};
        uint8_t key[VERITY_ROOT_HASH_MAX];
        int n, r;

        n = verity_root_hash_parse(root_hash, key);
        if (n < 0)
                return n;

        r = load(&c, data_path, hash_path, hash_offset, CRYPT_VERITY_CHECK_HASH, ret_error);
        if (r >= 0)
                r = check_root_hash_size(&c, n);
        if (r >= 0)
                /* No name: nothing is activated; with CHECK_HASH every block is read and checked. */
                r = c.f.crypt_activate_by_volume_key(c.cd, NULL, (const char *) key, (size_t) n, 0);
        if (r < 0)
                return map_error(take_error(&c, r, ret_error));
        return 0;
}

static int activate(VerityOp *c, const char *name, const uint8_t *key, size_t key_size, const void *signature,
                    size_t signature_size, uint32_t flags) {
        if (signature)
                return c->f.crypt_activate_by_signed_key(c->cd, name, (const char *) key, key_size, signature,
                                                         signature_size, flags);
        return c->f.crypt_activate_by_volume_key(c->cd, name, (const char *) key, key_size, flags);
}

/* Reads one block of the mapped device: every read is checked from the block up to the root hash. */
static int probe_block(int fd, uint64_t block, uint32_t block_size) {
        _cleanup_free_ char *buf = NULL;
        ssize_t k;

        /* O_DIRECT: from the device, not a cache, into a block-aligned buffer. */
        buf = aligned_alloc(block_size, block_size);
        if (!buf)
                return -ENOMEM;
        k = pread(fd, buf, block_size, (off_t) (block * block_size));
        if (k < 0)
                return negative_errno();
        return k == (ssize_t) block_size ? 0 : -EIO;
}

/* The kernel checks the root hash only when a block is read, and with restart or panic on corruption a
 * wrong root hash would restart the machine with no word of why. So the device is first set up with
 * reads failing with EIO, its first and last data blocks are read, and only then is it set up as asked.
 * Both reads failing means the tree does not lead to this root hash (-EBADMSG); one failing, that the
 * data is corrupted (-EPERM). Corruption elsewhere is caught when the block is read. */
static int probe(VerityOp *c, const char *name) {
        _cleanup_free_ char *path = strprintf("%s/%s", c->f.crypt_get_dir(), name);
        _cleanup_close_ int fd = -EBADF;
        struct crypt_params_verity vp = {};
        int a, b, r;

        if (!path)
                return -ENOMEM;
        r = c->f.crypt_get_verity_info(c->cd, &vp);
        if (r < 0)
                return r;
        if (vp.data_size == 0 || vp.data_block_size == 0)
                return -EINVAL;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_DIRECT);
        if (fd < 0)
                return negative_errno();
        a = probe_block(fd, 0, vp.data_block_size);
        b = probe_block(fd, vp.data_size - 1, vp.data_block_size);
        if (a == -ENOMEM || b == -ENOMEM)
                return -ENOMEM;
        if (a < 0 && b < 0)
                return -EBADMSG;
        if (a < 0 || b < 0)
                return -EPERM;
        return 0;
}

int verity_attach(const char *name, const char *data_path, const char *hash_path, uint64_t hash_offset,
                  const char *root_hash, const void *signature, size_t signature_size, int on_corruption,
                  char **ret_error) {
        _cleanup_(verity_op_done) VerityOp c = {};
        uint8_t key[VERITY_ROOT_HASH_MAX];
        uint32_t flags = CRYPT_ACTIVATE_READONLY;
        int n, r, k;

        n = verity_root_hash_parse(root_hash, key);
        if (n < 0)
                return n;

        if (on_corruption == CORRUPTION_RESTART)
                flags |= CRYPT_ACTIVATE_RESTART_ON_CORRUPTION;
        else if (on_corruption == CORRUPTION_PANIC)
                flags |= CRYPT_ACTIVATE_PANIC_ON_CORRUPTION;

        r = load(&c, data_path, hash_path, hash_offset, 0, ret_error);
        if (r >= 0)
                r = check_root_hash_size(&c, n);
        if (r >= 0)
                r = activate(&c, name, key, (size_t) n, signature, signature_size, CRYPT_ACTIVATE_READONLY);
        if (r < 0)
                return map_error(take_error(&c, r, ret_error));

        r = probe(&c, name);
        if (r < 0 || flags != CRYPT_ACTIVATE_READONLY) {
                k = c.f.crypt_deactivate(c.cd, name);
                if (r < 0)
                        return r;
                if (k < 0)
                        return take_error(&c, k, ret_error);
                r = activate(&c, name, key, (size_t) n, signature, signature_size, flags);
                if (r < 0)
                        return map_error(take_error(&c, r, ret_error));
        }
        return 0;
}

int verity_detach(const char *name, char **ret_error) {
        _cleanup_(verity_op_done) VerityOp c = {};
        int r;

        r = verity_op_open(&c, ret_error);
        if (r < 0)
                return r;
        r = c.f.crypt_init_by_name(&c.cd, name);
        if (r == -ENODEV)
                return 0;
        if (r < 0)
                return r;
        c.f.crypt_set_log_callback(c.cd, log_cb, &c.last);
        r = c.f.crypt_deactivate(c.cd, name);
        return r < 0 ? take_error(&c, r, ret_error) : 1;
}
