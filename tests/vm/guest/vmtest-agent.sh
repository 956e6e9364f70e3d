#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The agent of scenario anomalies, run as agent.service, which agent-host confines: it runs what the
# image's drop-in allows it (bash, sleep), one program that nothing allows it (id), and writes below a
# path agent-host's audit rules watch (/var/lib/models). Then it sleeps.
set -u
sleep 0.2
id >/dev/null
echo "model v2" >/var/lib/models/current
exec sleep infinity
