/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The helper the initrd units run to set up /usr as a dm-verity device, through libcryptsetup; and the one
 * helper of every fail-closed unit:
 *
 *   hardenctl-verity attach NAME DATA HASH ROOTHASH [--signature=FILE] [--require-signatures]
 *                           [--on-corruption=eio|restart|panic] [--link=PATH] [--optional]
 *   hardenctl-verity detach NAME
 *   hardenctl-verity fail MESSAGE
 *   hardenctl-fail MESSAGE
 *
 * ROOTHASH is hexadecimal, or an absolute path of a file holding it. --signature= names a file or a
 * usr-verity signature partition, with the bare PKCS#7 signature or the partition's JSON (verity-sig.h);
 * "auto" is the usr-verity signature partition on DATA's disk. The signer is the certificate the signature
 * carries (pkcs7-sign.h); a signature partition whose certificateFingerprint names another is refused. When
 * the kernel accepted the signature, the root hash, the signer's fingerprint and the keyring that holds its
 * key are recorded in /run/hardenctl/usr-signer.json (posture.h), which the posture record reports.
 * --require-signatures (Signature=required) makes the kernel refuse verity tables without a signature,
 * every one and not only this one (dm_verity.require_signatures), or fails: see require_signatures(). On success,
 * --link=PATH becomes a symlink to /dev/mapper/NAME, which is what the mount unit mounts. With --optional, a failure is
 * logged as a warning and PATH points at the unverified DATA device instead.
 *
 * "fail" logs MESSAGE and fails. The units a generator writes when it already knows that the profile
 * cannot be enforced run it, so that the boot stops (OnFailure=) with one log line that says why: the
 * usr generator's as "hardenctl-verity fail", the system generator's as "hardenctl-fail", the name this
 * program is also installed under (a symlink), which takes no verb and no options. */

#include <ctype.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <strings.h>

#include "atomic-file.h"
#include "fs-util.h"
#include "kernel-util.h"
#include "path-util.h"
#include "log.h"
#include "pkcs7-sign.h"
#include "posture.h"
#include "string-util.h"
#include "verbs.h"
#include "verity-sig.h"
#include "verity.h"

/* The options, one bit each: only attach takes them. */
enum {
        OPTION_SIGNATURE,
        OPTION_REQUIRE_SIGNATURES,
        OPTION_ON_CORRUPTION,
        OPTION_LINK,
        OPTION_OPTIONAL,
        _OPTION_MAX,
};

static const char *const option_names[_OPTION_MAX] = {
        [OPTION_SIGNATURE] = "--signature=",
        [OPTION_REQUIRE_SIGNATURES] = "--require-signatures",
        [OPTION_ON_CORRUPTION] = "--on-corruption=",
        [OPTION_LINK] = "--link=",
        [OPTION_OPTIONAL] = "--optional",
};

static uint64_t arg_options = 0;
static const char *arg_signature = NULL;
static bool arg_require_signatures = false;
static int arg_on_corruption = -1;
static const char *arg_link = NULL;
static bool arg_optional = false;

static int make_link(const char *target) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL; /* after dir_fd: cleaned up first */
        int r;

        if (!arg_link)
                return 0;

        {
                _cleanup_free_ char *dir = strndup(arg_link, path_basename(arg_link) - arg_link);
                if (!dir)
                        return log_oom();
                if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                        return log_error_errno(errno, "Failed to create %s: %m", dir);
                dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (dir_fd < 0)
                        return log_error_errno(errno, "Failed to open %s: %m", dir);
        }
        r = atomic_file_symlink(&a, dir_fd, path_basename(arg_link), target);
        if (r >= 0)
                r = atomic_file_rename(&a, path_basename(arg_link), 0);
        if (r < 0)
                return log_error_errno(r, "Failed to link %s to %s: %m", arg_link, target);
        return 0;
}

static const char *cause(int r) {
        switch (r) {
        case -EBADMSG:
                return "the root hash does not match the hash tree";
        case -EPERM:
                return "the data does not match the hash tree";
        case -EMSGSIZE:
                return "the root hash has the wrong length";
        case -EINVAL:
                return "the root hash or a device is invalid";
        case -ENOENT:
        case -ENXIO:
        case -ENOTBLK: /* libcryptsetup, for a path that is not there */
        case -ENODEV:
                return "a device is missing";
        case -EKEYREJECTED:
        case -ENOKEY:
                return "the root hash signature was not accepted by the kernel";
        default:
                return NULL;
        }
}

/* The signature of the root hash: a file or a usr-verity signature partition (a block device, of which
 * the first 64 KiB are read), holding a signature partition's JSON or the bare PKCS#7 signature. A
 * signature partition must be for this root hash, and name the signer the signature carries. The signer's
 * fingerprint and kernel key ID into *signer and *key_id, if the signature carries its certificate. */
static int read_signature(const char *path, const char *data, const char *root_hash, VeritySig *ret, char **signer,
                          char **key_id) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL, *error = NULL, *disk = NULL;
        struct stat st;
        size_t n = 0;
        int r;

        /* "auto": the usr-verity signature partition on the disk the data partition is on. */
        if (streq(path, "auto")) {
                const char *type = verity_sig_usr_partition_type();

                if (!type)
                        return log_error_errno(
                                -EOPNOTSUPP,
                                "Verity /usr: no signature partition type is defined for this architecture.");
                r = verity_sig_partition_disk(data, &disk);
                if (r < 0)
                        return log_error_errno(
                                r, "Verity /usr: cannot find the disk of %s to look for its signature partition: %s",
                                data, r == -EMEDIUMTYPE ? "it is not a partition" : strerror(-r));
                r = verity_sig_read_partition(disk, type, &buf, &n);
                if (r == -ENOENT)
                        return log_error_errno(
                                r,
                                "Verity /usr: signature required, but the disk of %s has no usr-verity signature partition (type %s).",
                                data, type);
                if (r < 0)
                        return log_error_errno(r, "Verity /usr: cannot read the signature partition on %s: %m", disk);
                path = "the usr-verity signature partition";
                goto parse;
        }

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return log_error_errno(errno, "Verity /usr: signature required, but %s cannot be read: %m", path);
        if (fstat(fd, &st) < 0)
                return log_error_errno(errno, "Verity /usr: cannot read signature %s: %m", path);
        if (S_ISBLK(st.st_mode)) {
                ssize_t k;

                buf = malloc(VERITY_SIG_PARTITION_MAX);
                if (!buf)
                        return log_oom();
                while (n < VERITY_SIG_PARTITION_MAX &&
                       (k = pread(fd, buf + n, VERITY_SIG_PARTITION_MAX - n, (off_t) n)) != 0) {
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0)
                                return log_error_errno(errno, "Verity /usr: cannot read signature %s: %m", path);
                        n += (size_t) k;
                }
                /* A partition is padded with NULs well past the JSON: what is read must end in them. */
                if (n == VERITY_SIG_PARTITION_MAX && buf[n - 1] != 0)
                        return log_error_errno(-EFBIG, "Verity /usr: the signature in %s is larger than %u KiB.", path,
                                               VERITY_SIG_PARTITION_MAX / 1024);
        } else {
                r = read_full_fd(fd, VERITY_SIG_PARTITION_MAX, &buf, &n);
                if (r < 0)
                        return log_error_errno(r, "Verity /usr: cannot read signature %s: %s", path,
                                               r == -EFBIG  ? "too large" :
                                               r == -EBADFD ? "not a file or a block device" :
                                                              strerror(-r));
        }

parse:
        r = verity_sig_parse(buf, n, ret, &error);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Verity /usr: the signature in %s is unusable: %s.", path, error);
        if (ret->root_hash && strcasecmp(ret->root_hash, root_hash) != 0)
                return log_error_errno(-EBADMSG, "Verity /usr: the signature in %s is for the root hash %s, not %s.",
                                       path, ret->root_hash, root_hash);

        /* The signer, from the certificate the signature carries: what a signature partition claims
         * beside it (certificateFingerprint is not signed) must be that. */
        r = pkcs7_signer(ret->der, ret->der_size, signer, key_id);
        if (r == -ENOMEM)
                return log_oom();
        if (r == -ENOKEY || r == -ENOTUNIQ) {
                log_notice("Verity /usr: the signature in %s %s: the posture record will not name the signer.", path,
                           r == -ENOKEY ? "does not carry its signer's certificate" : "has more than one signer");
                return 0;
        }
        if (r < 0)
                return log_error_errno(r, "Verity /usr: the signature in %s is not a PKCS#7 signature.", path);
        if (ret->certificate_fingerprint && !streq(ret->certificate_fingerprint, *signer))
                return log_error_errno(
                        -EKEYREJECTED,
                        "Verity /usr: the signature in %s names certificate sha256:%s, but was made by sha256:%s, refusing to boot.",
                        path, ret->certificate_fingerprint, *signer);
        return 0;
}

/* What signed the activated /usr, for the posture record: only ever after the kernel accepted the signature,
 * so the key is in one of its keyrings. */
static void record_signer(const char *root_hash, const char *signer, const char *key_id) {
        _cleanup_free_ char *text = NULL, *hash = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        const char *keyring = NULL;
        int r;

        if (!signer)
                return;
        r = kernel_keyring_holding(KERNEL_TRUSTED_KEYRINGS, key_id, &keyring);
        if (r < 0)
                log_notice_errno(r, "Verity /usr: no trusted keyring lists the signer's key %s: %m", key_id);
        hash = strdup(root_hash);
        if (!hash) {
                log_oom();
                return;
        }
        for (char *c = hash; *c; c++) /* as the dm table gives it */
                *c = (char) tolower((unsigned char) *c);
        r = posture_usr_signer_to_json(hash, signer, keyring, &text);
        if (r < 0) {
                log_oom();
                return;
        }
        (void) mkdir("/run/hardenctl", 0755);
        dir_fd = open("/run/hardenctl", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = dir_fd < 0 ? -errno : atomic_file_write_at(dir_fd, "usr-signer.json", text, strlen(text), 0644, 0);
        if (r < 0)
                log_warning_errno(r, "Verity /usr: cannot record the signer in " POSTURE_USR_SIGNER_PATH
                                     " (the posture record will not name it): %m");
}

/* Signature=required: the kernel itself refuses verity tables without a signature, for every verity device and not
 * only this one (dm_verity.require_signatures). The parameter is read-only once dm_verity is loaded: when
 * it is not loaded yet, a modprobe.d option under /run sets it, which the modprobe that the kernel runs for
 * the verity target reads, and which is removed once the device is set up (made before the SELinux policy
 * is loaded, it would not carry the label modprobe may read); a dm_verity built in or loaded already has
 * what the kernel command line gave. */
#define REQUIRE_SIGNATURES_PARAMETER "/sys/module/dm_verity/parameters/require_signatures"
#define REQUIRE_SIGNATURES_MODPROBE_DIR "/run/modprobe.d"
#define REQUIRE_SIGNATURES_MODPROBE_CONF "hardenctl-verity.conf"

/* 1 if on, 0 if off, -ENOENT if dm_verity is not loaded (or has no signature support), another negative
 * errno if the parameter cannot be read (logged). */
static int require_signatures_state(void) {
        _cleanup_free_ char *text = NULL;
        int r;

        /* A sysfs attribute says it is a page long, whatever it holds. */
        r = read_full_file(REQUIRE_SIGNATURES_PARAMETER, 4096, &text, NULL);
        if (r == -ENOENT)
                return r;
        if (r < 0)
                return log_error_errno(r, "Verity /usr: cannot read " REQUIRE_SIGNATURES_PARAMETER ": %m");
        return streq(strstrip(text), "Y");
}

/* what: why the kernel does not refuse unsigned tables; fix: what to do about it. */
static int require_signatures_fail(const char *what, const char *fix) {
        if (arg_optional) {
                log_warning("WARNING: Verity /usr: Signature=required, but %s; Verity=optional, so going on.", what);
                return 0;
        }
        return log_error_errno(-EKEYREJECTED, "Verity /usr: Signature=required, but %s: %s. Refusing to boot.", what,
                               fix);
}

#define REQUIRE_SIGNATURES_FIX "put dm_verity.require_signatures=1 on the kernel command line"

/* What require_signatures_prepare() made, for require_signatures_done(). */
typedef struct RequireSignatures {
        bool wrote_conf;
        bool made_dir;
} RequireSignatures;

static int require_signatures_prepare(RequireSignatures *rs) {
        static const char conf[] = "# hardenctl-verity: [Usr] Signature=required\n"
                                   "options dm_verity require_signatures=1\n";
        _cleanup_close_ int dir_fd = -EBADF;
        int r;

        r = require_signatures_state();
        if (r > 0)
                return 0;
        if (r == 0)
                return require_signatures_fail("dm_verity is loaded already and accepts verity tables without a signature",
                                               REQUIRE_SIGNATURES_FIX);
        if (r != -ENOENT)
                return r;
        if (mkdir(REQUIRE_SIGNATURES_MODPROBE_DIR, 0755) >= 0)
                rs->made_dir = true;
        else if (errno != EEXIST)
                return log_error_errno(errno, "Failed to create " REQUIRE_SIGNATURES_MODPROBE_DIR ": %m");
        dir_fd = open(REQUIRE_SIGNATURES_MODPROBE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = dir_fd < 0 ? -errno :
                         atomic_file_write_at(dir_fd, REQUIRE_SIGNATURES_MODPROBE_CONF, conf, strlen(conf), 0644, 0);
        if (r < 0)
                return log_error_errno(r, "Failed to write " REQUIRE_SIGNATURES_MODPROBE_DIR
                                          "/" REQUIRE_SIGNATURES_MODPROBE_CONF ": %m");
        rs->wrote_conf = true;
        return 0;
}

static void require_signatures_done(RequireSignatures *rs) {
        if (rs->wrote_conf && unlink(REQUIRE_SIGNATURES_MODPROBE_DIR "/" REQUIRE_SIGNATURES_MODPROBE_CONF) < 0 &&
            errno != ENOENT)
                log_warning_errno(errno, "Failed to remove " REQUIRE_SIGNATURES_MODPROBE_DIR
                                         "/" REQUIRE_SIGNATURES_MODPROBE_CONF ": %m");
        if (rs->made_dir)
                (void) rmdir(REQUIRE_SIGNATURES_MODPROBE_DIR);
        *rs = (RequireSignatures){};
}

/* After the device is set up (dm_verity is loaded by then): the kernel must now refuse unsigned tables. */
static int require_signatures_check(const char *name) {
        int r = require_signatures_state();

        if (r > 0)
                return 0;
        if (r < 0 && r != -ENOENT)
                r = require_signatures_fail("dm_verity.require_signatures cannot be read", "see the message above");
        else
                r = r == 0 ? require_signatures_fail("the kernel accepts verity tables without a signature",
                                                     REQUIRE_SIGNATURES_FIX) :
                             require_signatures_fail("dm_verity has no require_signatures parameter",
                                                     "boot a kernel built with CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG");
        if (r < 0) {
                _cleanup_free_ char *error = NULL;

                (void) verity_detach(name, &error);
        }
        return r;
}

static int verb_attach(int argc, char *argv[]) {
        const char *name = argv[1], *data = argv[2], *hash = argv[3], *root_hash = argv[4];
        _cleanup_free_ char *hash_text = NULL, *error = NULL, *mapper = NULL, *signer = NULL, *key_id = NULL;
        _cleanup_(verity_sig_done) VeritySig signature = {};
        _cleanup_(require_signatures_done) RequireSignatures rs = {};
        int r;

        if (path_is_absolute(root_hash)) {
                r = read_full_file(root_hash, 1024, &hash_text, NULL);
                if (r < 0)
                        return log_error_errno(r, "Verity /usr: cannot read root hash file %s: %m", root_hash);
                root_hash = strstrip(hash_text);
        }

        if (arg_signature) {
                r = read_signature(arg_signature, data, root_hash, &signature, &signer, &key_id);
                if (r < 0)
                        return r;
        }
        if (arg_require_signatures) {
                r = require_signatures_prepare(&rs);
                if (r < 0)
                        return r;
        }

        r = verity_attach(name, data, hash, 0, root_hash, signature.der, signature.der_size, arg_on_corruption, &error);
        if (r < 0) {
                const char *why = cause(r);

                if (arg_optional) {
                        log_warning(
                                "WARNING: Verity /usr failed (%s%s%s); Verity=optional, so /usr is mounted UNVERIFIED from %s.",
                                why ?: strerror(-r), error ? ": " : "", strempty(error), data);
                        return make_link(data);
                }
                return log_error_errno(r, "Verity /usr failed, refusing to boot: %s%s%s (data %s, hash %s).",
                                       why ?: strerror(-r), error ? ": " : "", strempty(error), data, hash);
        }

        if (arg_require_signatures) {
                r = require_signatures_check(name);
                if (r < 0)
                        return r;
        }
        if (signature.der)
                record_signer(root_hash, signer, key_id);
        mapper = strprintf("/dev/mapper/%s", name);
        if (!mapper)
                return log_oom();
        log_info("Verity /usr: %s verified against root hash %s%s.", data, root_hash,
                 signature.der ? ", signature accepted" : "");
        return make_link(mapper);
}

static int verb_detach(int argc, char *argv[]) {
        _cleanup_free_ char *error = NULL;
        const char *name = argv[1];
        int r;

        r = verity_detach(name, &error);
        if (r < 0)
                return log_error_errno(r, "Failed to detach %s: %s", name, error ?: strerror(-r));
        return 0;
}

static int verb_fail(int argc, char *argv[]) {
        if (isempty(argv[1]))
                return log_error_errno(-EINVAL, "fail: no MESSAGE given; failing all the same.");
        return log_error_errno(-EINVAL, "%s", argv[1]);
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_SIGNATURE = 0x100, ARG_REQUIRE_SIGNATURES, ARG_ON_CORRUPTION, ARG_LINK, ARG_OPTIONAL };
        static const struct option options[] = {
                { "signature", required_argument, NULL, ARG_SIGNATURE },
                { "require-signatures", no_argument, NULL, ARG_REQUIRE_SIGNATURES },
                { "on-corruption", required_argument, NULL, ARG_ON_CORRUPTION },
                { "link", required_argument, NULL, ARG_LINK },
                { "optional", no_argument, NULL, ARG_OPTIONAL },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case ARG_SIGNATURE:
                        arg_options |= UINT64_C(1) << OPTION_SIGNATURE;
                        arg_signature = optarg;
                        break;
                case ARG_REQUIRE_SIGNATURES:
                        arg_options |= UINT64_C(1) << OPTION_REQUIRE_SIGNATURES;
                        arg_require_signatures = true;
                        break;
                case ARG_ON_CORRUPTION:
                        arg_options |= UINT64_C(1) << OPTION_ON_CORRUPTION;
                        if (streq(optarg, "eio"))
                                arg_on_corruption = CORRUPTION_EIO;
                        else if (streq(optarg, "restart"))
                                arg_on_corruption = CORRUPTION_RESTART;
                        else if (streq(optarg, "panic"))
                                arg_on_corruption = CORRUPTION_PANIC;
                        else
                                return log_error_errno(-EINVAL, "Invalid --on-corruption= value '%s'.", optarg);
                        break;
                case ARG_LINK:
                        if (!path_is_absolute(optarg))
                                return log_error_errno(-EINVAL, "--link= needs an absolute path.");
                        arg_options |= UINT64_C(1) << OPTION_LINK;
                        arg_link = optarg;
                        break;
                case ARG_OPTIONAL:
                        arg_options |= UINT64_C(1) << OPTION_OPTIONAL;
                        arg_optional = true;
                        break;
                default:
                        return -EINVAL;
                }
        return 0;
}

static const Verb verbs[] = {
        { "attach", 4, 4, verb_attach, "NAME DATA HASH ROOTHASH [OPTIONS]", NULL, (UINT64_C(1) << _OPTION_MAX) - 1 },
        { "detach", 1, 1, verb_detach, "NAME" },
        { "fail", 1, 1, verb_fail, "MESSAGE" },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
        .option_names = option_names,
        .n_option_names = _OPTION_MAX,
};

int main(int argc, char *argv[]) {
        bool fail = streq(program_invocation_short_name, "hardenctl-fail");
        int r;

        log_set_prefix(fail ? "hardenctl-fail" : "hardenctl-verity");
        log_parse_environment();

        if (fail) {
                /* "hardenctl-fail MESSAGE" is "fail MESSAGE". */
                argv[0] = (char *) "fail";
                (void) verbs_dispatch(&verb_table, argc, argv, 0);
                return EXIT_FAILURE;
        }

        r = parse_argv(argc, argv);
        if (r < 0)
                return EXIT_FAILURE;
        r = verbs_dispatch(&verb_table, argc - optind, argv + optind, arg_options);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
