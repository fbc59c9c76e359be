/*
 * Role names and role sets. A role set is a bit mask over the known roles
 * (see service/session.h for what each role means), so checks are pure and
 * cheap.
 */
#ifndef MRT_PRIVACY_ROLES_H
#define MRT_PRIVACY_ROLES_H

#include <stddef.h>

#define ROLE_COUNT 6

/* The known role names, in a fixed order (bit i = role_names[i]). */
extern const char *const role_names[ROLE_COUNT];

/* Bit of a role name, or 0 when the name is not a known role. */
unsigned role_bit(const char *name);
unsigned role_all(void);
int role_set_has(unsigned set, const char *name);
/* Writes the role names in set, comma-separated ("" for none). */
void role_set_format(char *out, size_t size, unsigned set);
/* "admin, him, coder, ..." for error messages. */
const char *role_list_text(void);

#endif
