/*
 * Role names and role sets. A role set is a bit mask over the known roles
 * (see service/session.h for what each role means), so checks are pure and
 * cheap.
 */
#ifndef MRT_PRIVACY_ROLES_H
#define MRT_PRIVACY_ROLES_H

#include <stddef.h>

#define ROLE_COUNT 8

/* The bits of the known roles (bit i = role_names[i]). */
enum {
	ROLE_ADMIN_BIT = 1u << 0,
	ROLE_HIM_BIT = 1u << 1,
	ROLE_CODER_BIT = 1u << 2,
	ROLE_REGISTRAR_BIT = 1u << 3,
	ROLE_PRIVACY_BIT = 1u << 4,
	ROLE_PHYSICIAN_BIT = 1u << 5,
	ROLE_AUDITOR_BIT = 1u << 6,
	ROLE_RESEARCHER_BIT = 1u << 7,
};

/* The known role names, in a fixed order (bit i = role_names[i]). */
extern const char *const role_names[ROLE_COUNT];

/* Bit of a role name, or 0 when the name is not a known role. */
unsigned role_bit(const char *name);
unsigned role_all(void);
int role_set_has(unsigned set, const char *name);
/* Writes the role names in set, comma-separated ("" for none). */
void role_set_format(char *out, size_t size, unsigned set);
/* "admin, him_technician, coder, ..." for error messages. */
const char *role_list_text(void);

#endif
