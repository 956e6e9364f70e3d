/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "profile.h"

struct json_object;

#define PROFILE_JSON_SCHEMA_VERSION 1

/* The profile as a JSON object: {"schemaVersion", "name", "sources", "Section": {"Key": value|null}}.
 * Unset keys are null, so the output always has every section and key. */
int profile_to_json(const Profile *p, struct json_object **ret);
