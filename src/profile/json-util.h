/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* json-c, the one JSON library: what every JSON writer shares. */

#include <json-c/json.h>

#include "macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct json_object *, json_object_put);
