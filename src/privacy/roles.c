/*
 * Role names and role sets; see roles.h.
 */
#include <string.h>

#include "privacy/roles.h"

const char *const role_names[ROLE_COUNT] = {
	"admin", "him_technician", "coder", "registrar", "privacy_officer", "physician",
	"auditor", "researcher",
};

unsigned role_bit(const char *name)
{
	if (!name)
		return 0;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return 1u << i;
	return 0;
}

unsigned role_all(void)
{
	return (1u << ROLE_COUNT) - 1;
}

int role_set_has(unsigned set, const char *name)
{
	unsigned bit = role_bit(name);
	return bit != 0 && (set & bit) != 0;
}

void role_set_format(char *out, size_t size, unsigned set)
{
	size_t used = 0;
	if (size == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!(set & (1u << i)))
			continue;
		size_t n = strlen(role_names[i]);
		if (used + n + 2 > size)
			break;
		if (used)
			out[used++] = ',';
		memcpy(out + used, role_names[i], n);
		used += n;
		out[used] = '\0';
	}
}

const char *role_list_text(void)
{
	return "admin, him_technician, coder, registrar, privacy_officer, physician, auditor, researcher";
}
