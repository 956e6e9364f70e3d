/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The helper the initrd units run to set up /usr as a dm-verity device, through libcryptsetup; and the one
 * helper of every fail-closed unit:
 *
 *   hardenctl-verity attach NAME DATA HASH ROOTHASH [--signature=FILE] [--on-corruption=eio|restart|panic]
 *                           [--link=PATH] [--optional]
 *   hardenctl-verity detach NAME
 *   hardenctl-verity fail MESSAGE
 *   hardenctl-fail MESSAGE
 *
 * ROOTHASH is hexadecimal, or an absolute path of a file holding it. --signature= names a file or a
 * usr-verity signature partition, with the bare PKCS#7 signature or the partition's JSON (verity-sig.h);
 * "auto" is the usr-verity signature partition on DATA's disk. When the kernel accepted a signature that
 * names its signer (a signature partition's certificateFingerprint), its rootHash and certificateFingerprint
 * are recorded in /run/hardenctl/usr-signer.json (posture.h), which the posture record reports. On success,
 * --link=PATH becomes a symlink to /dev/mapper/NAME, which is what the mount unit mounts. With --optional, a failure is
 * logged as a warning and PATH points at the unverified DATA device instead.
 *
 * "fail" logs MESSAGE and fails. The units a generator writes when it already knows that the profile
 * cannot be enforced run it, so that the boot stops (OnFailure=) with one log line that says why: the
 * usr generator's as "hardenctl-verity fail", the system generator's as "hardenctl-fail", the name this
 * program is also installed under (a symlink), which takes no verb and no options. */

#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <strings.h>

#include "atomic-file.h"
#include "fs-util.h"
#include "path-util.h"
#include "log.h"
#include "posture.h"
#include "string-util.h"
#include "verbs.h"
#include "verity-sig.h"
#include "verity.h"

/* The options, one bit each: only attach takes them. */
enum {
        OPTION_SIGNATURE,
        OPTION_ON_CORRUPTION,
        OPTION_LINK,
        OPTION_OPTIONAL,
        _OPTION_MAX,
};

static const char *const option_names[_OPTION_MAX] = {
        [OPTION_SIGNATURE] = "--signature=",
        [OPTION_ON_CORRUPTION] = "--on-corruption=",
        [OPTION_LINK] = "--link=",
        [OPTION_OPTIONAL] = "--optional",
};

static uint64_t arg_options = 0;
static const char *arg_signature = NULL;
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
 * signature partition must be for this root hash. */
static int read_signature(const char *path, const char *data, const char *root_hash, VeritySig *ret) {
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
        return 0;
}

/* What signed the activated /usr, for the posture record: only ever after the kernel accepted the signature. */
static void record_signer(const VeritySig *s) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        int r;

        if (!s->root_hash || !s->certificate_fingerprint)
                return; /* a bare PKCS#7 signature names no signer */
        r = posture_usr_signer_to_json(s->root_hash, s->certificate_fingerprint, &text);
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

static int verb_attach(int argc, char *argv[]) {
        const char *name = argv[1], *data = argv[2], *hash = argv[3], *root_hash = argv[4];
        _cleanup_free_ char *hash_text = NULL, *error = NULL, *mapper = NULL;
        _cleanup_(verity_sig_done) VeritySig signature = {};
        int r;

        if (path_is_absolute(root_hash)) {
                r = read_full_file(root_hash, 1024, &hash_text, NULL);
                if (r < 0)
                        return log_error_errno(r, "Verity /usr: cannot read root hash file %s: %m", root_hash);
                root_hash = strstrip(hash_text);
        }

        if (arg_signature) {
                r = read_signature(arg_signature, data, root_hash, &signature);
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

        if (signature.der)
                record_signer(&signature);
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
        enum { ARG_SIGNATURE = 0x100, ARG_ON_CORRUPTION, ARG_LINK, ARG_OPTIONAL };
        static const struct option options[] = {
                { "signature", required_argument, NULL, ARG_SIGNATURE },
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
