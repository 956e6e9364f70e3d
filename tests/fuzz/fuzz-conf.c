/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: one drop-in file read as sysctl.d (sysctl_d_scan()) and as modprobe.d
 * (modprobe_scan(), modprobe_install_refuses()). */

#include "fuzz.h"
#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_text(data, size);
        _cleanup_(sysctl_source_done) SysctlSource s = {}, g = {};
        _cleanup_(modprobe_verdict_done) ModprobeVerdict v = {};

        if (!text)
                return 0;
        (void) sysctl_d_scan("/etc/sysctl.d/x.conf", text, "kernel.sysrq", &s);
        (void) sysctl_d_scan("/etc/sysctl.d/x.conf", text, "net.ipv4.conf.all.rp_filter", &g);
        if (modprobe_scan("/etc/modprobe.d/x.conf", text, "usb-storage", &v) >= 0)
                (void) modprobe_install_refuses(v.install);
        return 0;
}
