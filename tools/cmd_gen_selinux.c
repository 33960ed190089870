/* cmd_gen_selinux.c - placeholder until its issue lands: says so and fails. */
#include "commands.h"

#include <stdio.h>

int cmd_gen_selinux(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "cronguard: '%s' is not implemented in this version\n", argv[0]);
	return CG_EXIT_USAGE;
}
