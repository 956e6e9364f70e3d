# SPDX-License-Identifier: LGPL-2.1-or-later
[Profile]
Description=A host whose boot fails without a TPM measurement
Inherit=baseline

[Attest]
RequireTPM=yes
