/* plan_compare.c - are two plans the same confinement?  Generators emit one
 * profile or domain per distinct plan, so users whose plans compare equal
 * share one. */
#include "plan.h"

#include <string.h>

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool list_eq(const struct cg_strlist *a, const struct cg_strlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static bool ports_eq(const struct cg_port_list *a, const struct cg_port_list *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(*a->v)) == 0);
}

bool cg_plan_mac_equal(const struct cg_plan *a, const struct cg_plan *b)
{
	return a->allow == b->allow && a->mode == b->mode &&
	       a->exec_set == b->exec_set && list_eq(&a->exec, &b->exec) &&
	       list_eq(&a->interpreters, &b->interpreters) &&
	       a->read_set == b->read_set && list_eq(&a->read, &b->read) &&
	       a->write_set == b->write_set && list_eq(&a->write, &b->write) &&
	       a->network.any == b->network.any && a->network.udp == b->network.udp &&
	       ports_eq(&a->network.connect, &b->network.connect) &&
	       ports_eq(&a->network.bind, &b->network.bind) &&
	       a->capabilities == b->capabilities &&
	       str_eq(a->apparmor, b->apparmor) && str_eq(a->selinux, b->selinux);
}
