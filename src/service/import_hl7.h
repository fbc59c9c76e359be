/*
 * HL7 v2 messages into the chart: ADT (A01-A47) and MDM (T01-T11) events
 * mapped to patients, encounters, transfers, diagnoses, procedures,
 * documents, labels and links through the chart API, each message logged
 * in message_log with the ACK sent back. A message that cannot be applied
 * (AE) or read (AR) leaves nothing of itself behind but its reject row and
 * its log row; a control id seen before returns the stored ACK.
 *
 * Access: admin or him. One audit event ("hl7.apply") per message.
 */
#ifndef MRT_SERVICE_IMPORT_HL7_H
#define MRT_SERVICE_IMPORT_HL7_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "mrt/error.h"
#include "service/session.h"

struct hl7_apply_result {
	char ack_code[3]; /* "AA", "AE" or "AR" */
	int duplicate;	  /* 1: control id seen before: stored ACK returned, nothing applied */
	mrt_buf ack;	  /* the ACK message bytes to send back (caller frees with mrt_buf_free) */
	char reason[256]; /* for AE/AR: segment/field and reason (no patient data) */
};

/* Applies one message (ADT/MDM) inside the caller's open transaction if
 * there is one, else in its own. A data error (AE) or unparsable message
 * (AR) leaves NO partial writes of that message (a SAVEPOINT, so other
 * messages in the caller's batch transaction survive), keeps the message
 * in `reject` with its reason, logs it in message_log with its ACK, and
 * returns 0 with ack_code AE/AR. A control id already in message_log (same
 * sending app+facility) with the same content (SHA-256 of the segments,
 * whatever the framing and line ends) returns the stored ACK with
 * duplicate=1 and applies nothing; with other content it is refused (AR,
 * "MSH-10: control id already used", kept in reject, not logged). Returns
 * < 0 only for the program's own failures (database error, or MRT_EACCESS
 * for a session without admin or him). res is (re)initialised here: pass
 * one that holds no ACK buffer. channel: "file:<path>#<n>" or
 * "mllp:<peer>". */
int import_hl7_apply(mrt_session *s, const char *msg, size_t len, const char *channel,
		     struct hl7_apply_result *res, mrt_err *err);
void hl7_apply_result_free(struct hl7_apply_result *r);

/* mrt import hl7 FILE...: every message of every file (a file may hold
 * many; split with hl7_split_*), one transaction per file; report counts
 * by event and outcome. */
int import_hl7_files(mrt_session *s, const char *const *paths, size_t n, json_t **report,
		     mrt_err *err);

#endif
