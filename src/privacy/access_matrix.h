/*
 * The access matrix: every role (alone) x every operation x the states of
 * a record (unlabelled, labelled, restricted, break-glass), decided by
 * access_decide itself. `mrt privacy matrix` prints it; docs/access-matrix.md
 * is its Markdown form and the access-matrix test checks both the document
 * and the running program against it.
 */
#ifndef MRT_PRIVACY_ACCESS_MATRIX_H
#define MRT_PRIVACY_ACCESS_MATRIX_H

#include <jansson.h>

#include "privacy/access.h"

enum access_state {
	STATE_UNLABELLED, /* no label, no restriction */
	STATE_LABELLED,   /* the patient carries BH; the user holds no grant */
	STATE_RESTRICTED, /* an agreed restriction applies to the disclosure */
	STATE_GLASS,      /* labelled, and the user breaks the glass with a reason */
	STATE_COUNT
};
extern const char *const access_state_names[STATE_COUNT];

/* The decision for a user holding only role bit `role`, purpose
 * operations (public_health for the disclosure and mandated-report
 * operations, which need a purpose the law names). */
void access_matrix_cell(struct access_decision *d, unsigned role, enum access_op op,
                        enum access_state state);
/* {"roles": [...], "states": [...], "operations": [{"name", "what",
 * "cells": {role: {state: "allow"|"deny"|"break-glass"}}}]} */
json_t *access_matrix_json(void);
/* The Markdown document (caller frees). */
char *access_matrix_markdown(void);

#endif
