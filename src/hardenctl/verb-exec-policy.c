/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl exec-policy: the profile's [Exec] section as an IPE policy, for the image pipeline. */

#include <unistd.h>

#include "hardenctl.h"
#include "ipe.h"
#include "log.h"
#include "pkcs7-sign.h"
#include "string-table.h"
#include "string-util.h"
#include "strv.h"

typedef enum PolicyFormat {
        POLICY_FORMAT_PKCS7,
        POLICY_FORMAT_TEXT,
        _POLICY_FORMAT_MAX,
} PolicyFormat;

static const char *const policy_format_table[_POLICY_FORMAT_MAX] = {
        [POLICY_FORMAT_PKCS7] = "pkcs7",
        [POLICY_FORMAT_TEXT] = "text",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP_FROM_STRING(policy_format);

int verb_exec_policy(int argc, char *argv[]) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_(pkcs7_signature_done) Pkcs7Signature sig = {};
        _cleanup_strv_free_ char **search_path = NULL;
        _cleanup_free_ char *text = NULL, *error = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        int format = POLICY_FORMAT_PKCS7;
        ProfileLoadOptions o;
        Blob out;
        int r;

        /* Everything that can be told from the command line first: nothing is read before. */
        if (arg_format) {
                format = policy_format_from_string(arg_format);
                if (format < 0)
                        return log_error_errno(
                                -EINVAL, "Invalid --format= '%s' for exec-policy: expected pkcs7 or text.", arg_format);
        }
        if (!arg_policy_version)
                return log_error_errno(-EINVAL, "exec-policy needs --policy-version=X.Y.Z.");
        if (format == POLICY_FORMAT_PKCS7 && (!arg_private_key || !arg_certificate))
                return log_error_errno(-EINVAL,
                                       "exec-policy needs --private-key= and --certificate= (or --format=text).");
        if (format == POLICY_FORMAT_PKCS7 && !arg_output && isatty(STDOUT_FILENO))
                return log_error_errno(-EINVAL, "Refusing to write a signed policy to a terminal: give --output=.");

        r = load_options_init(&o, &root_fd, &search_path);
        if (r < 0)
                return r;
        r = load_profile(&o, argc > 1 ? argv[1] : NULL, &p);
        if (r != 0)
                return r;

        if (p->exec.mode < 0 || p->exec.mode == EXEC_OFF)
                return log_error_errno(
                        -EINVAL,
                        "The profile '%s' does not restrict execution ([Exec] Mode=%s): there is no policy to make.",
                        p->name, p->exec.mode < 0 ? "" : "off");

        r = ipe_policy_compile(p, arg_usr_root_hash, arg_policy_version, &text, &error);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Cannot make the execution policy of '%s': %s.", p->name, error);

        if (format == POLICY_FORMAT_TEXT)
                out = (Blob){ text, strlen(text) };
        else {
                r = pkcs7_sign(text, strlen(text), arg_private_key, arg_certificate, 0, &sig, &error);
                if (r < 0)
                        return log_error_errno(r, "Cannot sign the execution policy: %s", error ?: strerror(-r));
                out = (Blob){ sig.der, sig.der_size };
        }

        if (arg_output) {
                r = output_write(arg_output, "policy", 0644, write_blob, &out);
                if (r < 0)
                        return r;
                if (!arg_quiet)
                        log_info("Wrote the %s IPE policy " IPE_POLICY_NAME " %s of profile '%s'%s%s%s to %s.",
                                 format == POLICY_FORMAT_TEXT ? "unsigned" : "signed", arg_policy_version, p->name,
                                 sig.certificate_fingerprint ? " (certificate SHA-256 " : "",
                                 strempty(sig.certificate_fingerprint), sig.certificate_fingerprint ? ")" : "",
                                 arg_output);
                return 0;
        }
        if (write_blob(stdout, &out) < 0)
                return log_error_errno(-EIO, "Failed to write the policy: %m");
        return flush_stdout();
}
