/* audit_common.c - helpers shared by lint and the audit checks. */
#include "audit.h"

#include <string.h>

