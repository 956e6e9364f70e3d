/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "boot.h"
#include "config.h"
#include "fs-util.h"
#include "hardenctl.h"
#include "json-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "report.h"
#include "string-util.h"
#include "strv.h"
#include "verbs.h"

const char *arg_root = NULL;
JsonMode arg_json = JSON_OFF;
bool arg_lenient = false;
bool arg_quiet = false;
bool arg_dry_run = false;
bool arg_runtime = false;
uint64_t arg_hash_offset = 0;
const char *arg_format = NULL;
const char *arg_output = NULL;
bool arg_journal = false;
bool arg_node_problem_detector = false;
const char *arg_private_key = NULL;
const char *arg_certificate = NULL;
const char *arg_usr_root_hash = NULL;
const char *arg_policy_version = NULL;
const char *arg_nonce = NULL;
const char *arg_golden = NULL;
const char *arg_ak = NULL;
const char *arg_ipe_policy = NULL;
const char *arg_event_log = NULL;
uint32_t arg_pcrs = 0;
const char *arg_posture = NULL;

const char *const option_names[_OPTION_MAX] = {
        [OPTION_ROOT] = "--root=",
        [OPTION_JSON] = "--json",
        [OPTION_LENIENT] = "--lenient",
        [OPTION_HASH_OFFSET] = "--hash-offset=",
        [OPTION_DRY_RUN] = "--dry-run",
        [OPTION_RUNTIME] = "--runtime",
        [OPTION_FORMAT] = "--format=",
        [OPTION_OUTPUT] = "--output=",
        [OPTION_JOURNAL] = "--journal",
        [OPTION_PRIVATE_KEY] = "--private-key=",
        [OPTION_CERTIFICATE] = "--certificate=",
        [OPTION_NODE_PROBLEM_DETECTOR] = "--node-problem-detector",
        [OPTION_USR_ROOT_HASH] = "--usr-root-hash=",
        [OPTION_POLICY_VERSION] = "--policy-version=",
        [OPTION_NONCE] = "--nonce=",
        [OPTION_GOLDEN] = "--golden=",
        [OPTION_AK] = "--ak=",
        [OPTION_IPE_POLICY] = "--ipe-policy=",
        [OPTION_EVENT_LOG] = "--event-log=",
        [OPTION_PCRS] = "--pcrs=",
        [OPTION_POSTURE] = "--posture=",
};

uint64_t arg_options = 0;

static const Verb verbs[] = {
        { "validate", 0, VERB_ANY, verb_validate, "[NAME|PATH…]",
          "Check profiles strictly (all in the search path if none given)", O(ROOT) | O(LENIENT) },
        { "list-profiles", 0, 0, verb_list_profiles, "", "List the profiles in the search path", O(ROOT) | O(JSON) },
        { "cat-profile", 1, 1, verb_cat_profile, "NAME|PATH",
          "Show the files of a profile, parents and drop-ins included", O(ROOT) },
        { "show-profile", 1, 1, verb_show_profile, "NAME|PATH",
          "Show the merged profile (--json for the model as JSON)", O(ROOT) | O(JSON) | O(LENIENT) },
        { "boot-files", 0, 0, verb_boot_files, "", "List the files the initrd needs for the boot profile",
          O(ROOT) | O(LENIENT) },
        { "apply", 0, 1, verb_apply, "[NAME|PATH]", "Put a profile in force: show the plan, then change the host",
          O(ROOT) | O(LENIENT) | O(DRY_RUN) | O(RUNTIME) },
        { "status", 0, 1, verb_status, "[NAME|PATH]",
          "Show which profile is in force, and whether the host still matches it",
          O(ROOT) | O(JSON) | O(LENIENT) | O(RUNTIME) },
        { "check", 0, 1, verb_check, "[NAME|PATH]", "Check the host (or --root) against a profile, rule by rule",
          O(ROOT) | O(JSON) | O(LENIENT) | O(JOURNAL) | O(NODE_PROBLEM_DETECTOR) },
        { "report", 0, 1, verb_report, "[NAME|PATH]", "Check, and write the report (--format=, --output=)",
          O(ROOT) | O(LENIENT) | O(FORMAT) | O(OUTPUT) | O(JOURNAL) },
        { "verity", 1, VERB_ANY, verb_verity, "format DATA HASH | verify DATA HASH ROOTHASH | sign ROOTHASH",
          "Build, check or sign the dm-verity hash tree of an image",
          O(JSON) | O(HASH_OFFSET) | O(FORMAT) | O(OUTPUT) | O(PRIVATE_KEY) | O(CERTIFICATE) | O(GOLDEN) | O(ROOT) |
                  O(LENIENT) | O(IPE_POLICY) },
        { "exec-policy", 0, 1, verb_exec_policy, "[NAME|PATH]",
          "Compile the profile's [Exec] section into a signed IPE policy (--format=, --output=)",
          O(ROOT) | O(LENIENT) | O(FORMAT) | O(OUTPUT) | O(PRIVATE_KEY) | O(CERTIFICATE) | O(USR_ROOT_HASH) |
                  O(POLICY_VERSION) },
        { "attest", 0, VERB_ANY, verb_attest, "[golden [NAME|PATH]]",
          "Quote the measured posture for a verifier's --nonce=; golden: the values a verifier expects",
          O(JSON) | O(NONCE) | O(EVENT_LOG) | O(PCRS) | O(POSTURE) | O(ROOT) | O(LENIENT) | O(USR_ROOT_HASH) |
                  O(CERTIFICATE) | O(IPE_POLICY) },
        { "verify-attestation", 1, 1, verb_verify_attestation, "FILE",
          "Check an attestation against a nonce and golden values (no TPM needed)",
          O(JSON) | O(NONCE) | O(GOLDEN) | O(AK) | O(PCRS) },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
        .option_names = option_names,
        .n_option_names = _OPTION_MAX,
        .has_help = true,
};

static int help(void) {
        printf("%s [OPTIONS…] COMMAND …\n\n"
               "Harden a host from a declarative profile, and prove it.\n\n"
               "Commands:\n",
               program_invocation_short_name);

        verbs_help_commands(&verb_table, stdout);

        printf("\nOptions:\n"
               "  -h --help                    Show this help\n"
               "     --version                 Show the package version\n"
               "  -q --quiet                   Print only problems\n"
               "     --root=DIR                Operate on the file system tree below DIR\n"
               "     --json[=pretty|short|off] Output JSON (pretty if no mode is given)\n"
               "     --lenient                 Read profiles as the boot path does\n"
               "     --hash-offset=BYTES       Where the hash tree starts in the hash file\n"
               "     --dry-run                 Show the plan, change nothing\n"
               "     --runtime                 Live state and /run only, nothing persistent\n"
               "     --format=FORMAT           The report's format: json, html, xccdf, arf, junit\n"
               "                               or prometheus; the signature's: dps or pkcs7;\n"
               "                               the policy's: pkcs7 or text\n"
               "     --output=FILE             Write the report or signature to FILE, not standard output\n"
               "     --journal                 Log the run and each failing rule to the journal\n"
               "     --node-problem-detector   check: one line and node-problem-detector's exit status\n"
               "     --private-key=FILE        Sign with this private key (PEM)\n"
               "     --certificate=FILE        The X.509 certificate of the signing key (PEM)\n"
               "     --usr-root-hash=HEX       The root hash of the image's /usr (exec-policy, attest golden)\n"
               "     --policy-version=X.Y.Z    The policy's version, growing with the image's\n"
               "     --nonce=HEX               The verifier's nonce (1 to 64 bytes)\n"
               "     --golden=FILE             The golden values to verify against\n"
               "     --ak=FILE                 The attestation key the verifier trusts (PEM)\n"
               "     --ipe-policy=FILE         The signed IPE policy the image ships\n"
               "     --event-log=FILE          The TPM event log (default /run/log/systemd/tpm2-measure.log)\n"
               "\nThe options each command takes, besides -h, --version and -q:\n");

        verbs_help_options(&verb_table, stdout);

        printf("\nSee the hardenctl(8) man page for details.\n");
        return 0;
}

/* "0,7,14": PCR numbers 0 to 23, each once at most, as a mask (bit N for PCR N). */
static int parse_pcr_list(const char *s, uint32_t *ret) {
        uint32_t mask = 0;

        if (isempty(s))
                return -EINVAL;
        for (const char *p = s;;) {
                size_t n = strcspn(p, ",");
                char word[4];
                unsigned pcr;

                if (n == 0 || n >= sizeof word)
                        return -EINVAL;
                memcpy(word, p, n);
                word[n] = 0;
                if (safe_atou(word, &pcr) < 0 || pcr >= 24 || (mask & (UINT32_C(1) << pcr)))
                        return -EINVAL;
                mask |= UINT32_C(1) << pcr;
                if (!p[n])
                        break;
                p += n + 1;
        }
        *ret = mask;
        return 0;
}

/* Returns <0 on error, 0 to exit successfully now, >0 to go on. */
static int parse_argv(int argc, char *argv[]) {
        enum {
                ARG_VERSION = 0x100,
                ARG_ROOT,
                ARG_JSON,
                ARG_LENIENT,
                ARG_HASH_OFFSET,
                ARG_DRY_RUN,
                ARG_RUNTIME,
                ARG_FORMAT,
                ARG_OUTPUT,
                ARG_JOURNAL,
                ARG_PRIVATE_KEY,
                ARG_CERTIFICATE,
                ARG_NODE_PROBLEM_DETECTOR,
                ARG_USR_ROOT_HASH,
                ARG_POLICY_VERSION,
                ARG_NONCE,
                ARG_GOLDEN,
                ARG_AK,
                ARG_IPE_POLICY,
                ARG_EVENT_LOG,
                ARG_PCRS,
                ARG_POSTURE,
        };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "root", required_argument, NULL, ARG_ROOT },
                { "json", optional_argument, NULL, ARG_JSON },
                { "lenient", no_argument, NULL, ARG_LENIENT },
                { "hash-offset", required_argument, NULL, ARG_HASH_OFFSET },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "runtime", no_argument, NULL, ARG_RUNTIME },
                { "format", required_argument, NULL, ARG_FORMAT },
                { "output", required_argument, NULL, ARG_OUTPUT },
                { "journal", no_argument, NULL, ARG_JOURNAL },
                { "private-key", required_argument, NULL, ARG_PRIVATE_KEY },
                { "certificate", required_argument, NULL, ARG_CERTIFICATE },
                { "node-problem-detector", no_argument, NULL, ARG_NODE_PROBLEM_DETECTOR },
                { "usr-root-hash", required_argument, NULL, ARG_USR_ROOT_HASH },
                { "policy-version", required_argument, NULL, ARG_POLICY_VERSION },
                { "nonce", required_argument, NULL, ARG_NONCE },
                { "golden", required_argument, NULL, ARG_GOLDEN },
                { "ak", required_argument, NULL, ARG_AK },
                { "ipe-policy", required_argument, NULL, ARG_IPE_POLICY },
                { "event-log", required_argument, NULL, ARG_EVENT_LOG },
                { "pcrs", required_argument, NULL, ARG_PCRS },
                { "posture", required_argument, NULL, ARG_POSTURE },
                { "quiet", no_argument, NULL, 'q' },
                {},
        };
        int c, r;

        while ((c = getopt_long(argc, argv, "hq", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        return help();
                case ARG_VERSION:
                        printf("hardenctl %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_ROOT:
                        arg_options |= O(ROOT);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--root= needs a directory.");
                        arg_root = optarg;
                        break;
                case ARG_JSON:
                        arg_options |= O(JSON);
                        if (!optarg || streq(optarg, "pretty"))
                                arg_json = JSON_PRETTY;
                        else if (streq(optarg, "short"))
                                arg_json = JSON_SHORT;
                        else if (streq(optarg, "off"))
                                arg_json = JSON_OFF;
                        else
                                return log_error_errno(
                                        -EINVAL, "Invalid --json= mode '%s': expected pretty, short or off.", optarg);
                        break;
                case ARG_LENIENT:
                        arg_options |= O(LENIENT);
                        arg_lenient = true;
                        break;
                case ARG_HASH_OFFSET:
                        arg_options |= O(HASH_OFFSET);
                        r = parse_size(optarg, &arg_hash_offset);
                        if (r < 0 || arg_hash_offset % 4096 != 0)
                                return log_error_errno(r < 0 ? r : -EINVAL,
                                                       "Invalid --hash-offset= '%s': expected a multiple of 4096 bytes.",
                                                       optarg);
                        break;
                case ARG_DRY_RUN:
                        arg_options |= O(DRY_RUN);
                        arg_dry_run = true;
                        break;
                case ARG_RUNTIME:
                        arg_options |= O(RUNTIME);
                        arg_runtime = true;
                        break;
                case ARG_FORMAT:
                        /* What it may say depends on the command: checked by the command. */
                        arg_options |= O(FORMAT);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--format= needs a format.");
                        arg_format = optarg;
                        break;
                case ARG_OUTPUT:
                        arg_options |= O(OUTPUT);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--output= needs a file name.");
                        arg_output = optarg;
                        break;
                case ARG_JOURNAL:
                        arg_options |= O(JOURNAL);
                        arg_journal = true;
                        break;
                case ARG_PRIVATE_KEY:
                        arg_options |= O(PRIVATE_KEY);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--private-key= needs a file name.");
                        arg_private_key = optarg;
                        break;
                case ARG_CERTIFICATE:
                        arg_options |= O(CERTIFICATE);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--certificate= needs a file name.");
                        arg_certificate = optarg;
                        break;
                case ARG_NODE_PROBLEM_DETECTOR:
                        arg_options |= O(NODE_PROBLEM_DETECTOR);
                        arg_node_problem_detector = true;
                        break;
                case ARG_USR_ROOT_HASH:
                        arg_options |= O(USR_ROOT_HASH);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--usr-root-hash= needs a root hash.");
                        arg_usr_root_hash = optarg;
                        break;
                case ARG_POLICY_VERSION:
                        arg_options |= O(POLICY_VERSION);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--policy-version= needs a version.");
                        arg_policy_version = optarg;
                        break;
                case ARG_NONCE:
                        arg_options |= O(NONCE);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--nonce= needs a hexadecimal nonce.");
                        arg_nonce = optarg;
                        break;
                case ARG_GOLDEN:
                        arg_options |= O(GOLDEN);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--golden= needs a file name.");
                        arg_golden = optarg;
                        break;
                case ARG_AK:
                        arg_options |= O(AK);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--ak= needs a file name.");
                        arg_ak = optarg;
                        break;
                case ARG_IPE_POLICY:
                        arg_options |= O(IPE_POLICY);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--ipe-policy= needs a file name.");
                        arg_ipe_policy = optarg;
                        break;
                case ARG_EVENT_LOG:
                        arg_options |= O(EVENT_LOG);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--event-log= needs a file name.");
                        arg_event_log = optarg;
                        break;
                case ARG_PCRS:
                        arg_options |= O(PCRS);
                        r = parse_pcr_list(optarg, &arg_pcrs);
                        if (r < 0)
                                return log_error_errno(r,
                                                       "Invalid --pcrs= '%s': expected PCR numbers 0 to 23, "
                                                       "separated by commas.",
                                                       optarg);
                        break;
                case ARG_POSTURE:
                        arg_options |= O(POSTURE);
                        if (isempty(optarg))
                                return log_error_errno(-EINVAL, "--posture= needs a file name.");
                        arg_posture = optarg;
                        break;
                case 'q':
                        arg_quiet = true;
                        break;
                case '?':
                        return -EINVAL;
                default:
                        assert(false);
                        return -EINVAL;
                }

        if (arg_root && arg_runtime)
                return log_error_errno(-EINVAL, "--runtime changes the live host; it cannot be combined with --root=.");

        return 1;
}

static int write_into(FILE *f, const char *path, output_write_t write_fn, const void *userdata) {
        int k;

        k = write_fn(f, userdata);
        if (k >= 0 && (fflush(f) != 0 || ferror(f)))
                k = negative_errno();
        return k < 0 ? log_error_errno(k, "Failed to write %s: %m", path) : 0;
}

int output_write(const char *path, const char *what, mode_t new_mode, output_write_t write_fn, const void *userdata) {
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL; /* after dir_fd: cleaned up first */
        const char *slash;
        mode_t mode = new_mode;
        struct stat st;
        FILE *f;
        int fd, k;

        if (lstat(path, &st) >= 0) {
                if (S_ISDIR(st.st_mode))
                        return log_error_errno(-EISDIR, "Cannot write the %s to %s: it is a directory.", what, path);
                if (!S_ISREG(st.st_mode)) {
                        fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_TRUNC);
                        if (fd < 0)
                                return log_error_errno(errno, "Cannot open %s: %m", path);
                        f = fdopen(fd, "w");
                        if (!f) {
                                safe_close(fd);
                                return log_oom();
                        }
                        return write_into(f, path, write_fn, userdata);
                }
                mode = st.st_mode & 07777;
        } else if (errno != ENOENT)
                return log_error_errno(errno, "Cannot access %s: %m", path);

        slash = strrchr(path, '/');
        dir = !slash ? strdup(".") : slash == path ? strdup("/") : strndup(path, slash - path);
        if (!dir)
                return log_oom();
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return log_error_errno(errno, "Cannot open the directory %s: %m", dir);
        fd = atomic_file_open(&a, dir_fd, path_basename(path), mode);
        if (fd < 0)
                return log_error_errno(fd, "Cannot create a temporary file in %s: %m", dir);
        f = atomic_file_fdopen(&a);
        if (!f)
                return log_error_errno(errno, "Cannot open a stream on %s/%s: %m", dir, a.tmp);
        k = write_fn(f, userdata);
        if (k >= 0)
                k = atomic_file_commit(&a, path_basename(path), ATOMIC_SYNC_DIR);
        if (k < 0)
                return log_error_errno(k, "Failed to write %s: %m", path);
        return 0;
}

int write_blob(FILE *f, const void *userdata) {
        const Blob *b = userdata;

        return fwrite(b->data, 1, b->size, f) == b->size ? 0 : -EIO;
}

int load_options_init(ProfileLoadOptions *o, int *root_fd, char ***search_path) {
        _cleanup_strv_free_ char **sp = NULL;
        const char *e;
        int fd;

        fd = open(arg_root ?: "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Cannot open root directory %s: %m", arg_root ?: "/");

        /* For development and tests: a colon-separated search path below the root. */
        e = getenv("HARDENCTL_PROFILE_PATH");
        if (!isempty(e)) {
                _cleanup_free_ char *copy = strdup(e);
                char *s = copy, *t;

                if (!copy) {
                        safe_close(fd);
                        return log_oom();
                }
                while ((t = strsep(&s, ":")))
                        if (!isempty(t) && strv_extend(&sp, t) < 0) {
                                safe_close(fd);
                                return log_oom();
                        }
        }

        *o = (ProfileLoadOptions){
                .root_fd = fd,
                .search_path = sp,
                .flags = arg_lenient ? 0 : PROFILE_LOAD_STRICT,
        };
        *root_fd = fd;
        *search_path = TAKE_PTR(sp);
        return 0;
}

void diags_log(const ProfileDiags *d) {
        for (size_t i = 0; i < d->n; i++) {
                _cleanup_free_ char *s = profile_diag_format(d->items + i);

                if (!s) {
                        log_oom();
                        return;
                }
                log_full(d->items[i].fatal ? LOG_ERR : LOG_WARNING, "%s%s", s,
                         d->items[i].fatal || d->items[i].advisory ? "" : ", ignoring");
        }
}

int load_profile(ProfileLoadOptions *o, const char *spec, Profile **ret) {
        _cleanup_(profile_diags_done) ProfileDiags diags = {};
        const char *name = spec;
        int r;

        if (!spec) {
                _cleanup_close_ int fd = open_in_root(o->root_fd, BOOT_PROFILE_PATH, O_PATH);

                if (fd < 0) {
                        log_error("No profile given, and there is no boot profile %s%s.",
                                  arg_root ? "below the root " : "", BOOT_PROFILE_PATH);
                        return EXIT_INVALID_PROFILE;
                }
                o->search_path = boot_profile_search_path;
                name = BOOT_PROFILE_NAME;
        }

        r = profile_load(o, name, ret, &diags);
        diags_log(&diags);
        if (r == -EBADMSG || r == -ENOENT)
                return EXIT_INVALID_PROFILE;
        if (r < 0)
                return log_error_errno(r, "Failed to load profile '%s': %m", spec ?: BOOT_PROFILE_PATH);
        return 0;
}

int flush_stdout(void) {
        if (fflush(stdout) != 0 || ferror(stdout))
                return log_error_errno(errno > 0 ? errno : EIO, "Failed to write to standard output: %m");
        return 0;
}

int write_json(FILE *f, const void *userdata) {
        const char *s = json_object_to_json_string_ext(
                (struct json_object *) userdata,
                JSON_C_TO_STRING_NOSLASHESCAPE |
                        (arg_json == JSON_SHORT ? JSON_C_TO_STRING_PLAIN :
                                                  JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));

        if (!s)
                return log_oom();
        fputs(s, f);
        fputc('\n', f);
        return 0;
}

int json_print(struct json_object *j) {
        return write_json(stdout, j);
}

int main(int argc, char *argv[]) {
        int r;

        log_parse_environment();

        r = parse_argv(argc, argv);
        if (r > 0)
                r = verbs_dispatch(&verb_table, argc - optind, argv + optind, arg_options);
        if (r >= 0 && flush_stdout() < 0)
                r = -EIO;

        return r < 0 ? EXIT_FAILED : r;
}
