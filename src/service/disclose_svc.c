/*
 * Recording a release of information (disclose_svc.h): the facts the
 * access decision needs (the labels of what would be released, an agreed
 * restriction that matches, an authorization or Part 2 consent that
 * covers it) are gathered here, privacy/access.c decides, and an allowed
 * disclosure is stored with its packet and audit event in one
 * transaction; the packet file, if asked for, is put in place only once
 * that has committed, and never over anything already there.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/str.h"
#include "chart/chart.h"
#include "service/consent_svc.h"
#include "service/disclose_int.h"
#include "service/disclose_svc.h"

#define BIT(l) (1u << (l))
#define TEXT_MAX 500

/* What disclose_svc_new works out before it records anything. */
struct plan {
	int64_t patient, encounter, authorization, restriction;
	int purpose;
	unsigned items;
	const char *kind, *address;
	char items_text[200];
	char cc_address[512], cc_phone[128];
	int override, psychotherapy, needs_auth;
	char why[160];
};

static int check_input(const struct disclose_new *n, struct plan *p, mrt_err *err)
{
	if (!disclose_text(n->recipient))
		return mrt_err_set(err, MRT_EINVAL, "a disclosure needs --recipient");
	const char *texts[] = { n->recipient, n->recipient_address, n->legal_basis, n->source_ref };
	const char *names[] = { "--recipient", "--recipient-address", "--legal-basis", "source_ref" };
	for (size_t i = 0; i < 4; i++)
		if (texts[i] && strlen(texts[i]) > (i == 2 ? 1000 : TEXT_MAX))
			return mrt_err_set(err, MRT_EINVAL, "%s is too long", names[i]);
	p->purpose = n->purpose ? access_purpose_parse(n->purpose) : -1;
	if (p->purpose < 0)
		return mrt_err_set(err, MRT_EINVAL, "a disclosure needs --purpose: treatment, payment, "
		                   "operations, public_health, legal, research, emergency or "
		                   "patient_request");
	char bad[64];
	if (!n->items || roi_items_parse(&p->items, n->items, bad, sizeof bad) != 0) {
		if (bad[0] && n->items)
			return mrt_err_set(err, MRT_EINVAL, "--items: unknown item '%s' (items: %s)", bad,
			                   roi_items_help());
		return mrt_err_set(err, MRT_EINVAL, "--items is required (minimum necessary: name what "
		                   "is released, there is no default): %s", roi_items_help());
	}
	roi_items_format(p->items_text, sizeof p->items_text, p->items);
	if ((p->purpose == PURPOSE_PUBLIC_HEALTH || p->purpose == PURPOSE_LEGAL) &&
	    !disclose_text(n->legal_basis))
		return mrt_err_set(err, MRT_EINVAL, "a %s disclosure needs --legal-basis (e.g. \"45 CFR "
		                   "164.512(b)\")", access_purpose_names[p->purpose]);
	p->kind = n->kind ? n->kind : roi_kind_default(p->purpose);
	if (!roi_kind_valid(p->kind))
		return mrt_err_set(err, MRT_EINVAL, "unknown disclosure kind '%.40s'", p->kind);
	if (n->format && strcmp(n->format, "text") != 0 && strcmp(n->format, "fhir") != 0)
		return mrt_err_set(err, MRT_EINVAL, "--format must be text or fhir");
	struct stat sb;
	if (n->out_path && lstat(n->out_path, &sb) == 0) /* a file, a directory or a link */
		return mrt_err_set(err, MRT_EEXIST, "--out: %s already exists", n->out_path);
	return 0;
}

/* A refusal that the access decision does not make itself (an
 * authorization that is needed and missing for an unlabelled record):
 * audited as a denial like the others. */
static int refuse(mrt_session *s, const struct plan *p, const char *why, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	char detail[300];
	snprintf(detail, sizeof detail, "authorization needed: %s; purpose %s; items %s", why,
	         access_purpose_names[p->purpose], p->items_text);
	int rc = mrt_db_begin(db, err);
	if (rc == 0)
		rc = svc_finish(db, svc_audit(s, "disclose.new", "patient", p->patient,
		                              p->patient, "deny", detail, err), err);
	if (rc)
		return rc;
	return mrt_err_set(err, MRT_EACCESS, "disclosure refused: a valid authorization covering "
	                   "this recipient and these items is needed (%s)", why);
}

static int find_auth(mrt_db *db, const struct disclose_new *n, struct plan *p, unsigned labels,
                     int psy, mrt_err *err)
{
	int need_part2 = (labels & BIT(LABEL_PART2)) != 0;
	return consent_find_authorization(db, p->patient, n->authorization_id, n->recipient,
	                                  p->items, need_part2, psy, &p->authorization, p->why,
	                                  sizeof p->why, err);
}

/* Labels, authorization and restriction: the facts for the decision. */
static int gather(mrt_session *s, const struct disclose_new *n, struct plan *p,
                  struct disclose_packet_req *req, unsigned *labels, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	int psy_notes = 0;
	int rc = disclose_packet_labels(db, req, labels, &psy_notes, err);
	if (rc)
		return rc;
	if (psy_notes && (rc = find_auth(db, n, p, *labels | BIT(LABEL_PSYTHPN), 1, err)) != 0)
		return rc;
	if (p->authorization) {
		/* With the notes in, their own labels (e.g. Part 2) count too: the
		 * authorization must cover those as well, else the notes stay out. */
		req->psychotherapy = 1;
		if ((rc = disclose_packet_labels(db, req, labels, &psy_notes, err)) != 0 ||
		    (rc = find_auth(db, n, p, *labels, 1, err)) != 0)
			return rc;
		req->psychotherapy = p->psychotherapy = p->authorization != 0;
		if (!p->psychotherapy &&
		    (rc = disclose_packet_labels(db, req, labels, &psy_notes, err)) != 0)
			return rc;
	}
	int part2 = (*labels & BIT(LABEL_PART2)) && p->purpose != PURPOSE_EMERGENCY;
	p->needs_auth = roi_purpose_needs_authorization(p->purpose) || part2 || p->psychotherapy ||
	                n->authorization_id;
	if (!p->authorization && p->needs_auth && (rc = find_auth(db, n, p, *labels, 0, err)) != 0)
		return rc;
	rc = consent_find_restriction(db, p->patient, n->recipient, p->items, p->encounter,
	                              &p->restriction, err);
	if (rc == 0 && p->purpose == PURPOSE_PATIENT_REQUEST)
		rc = consent_confidential_contact(db, p->patient, p->cc_address, sizeof p->cc_address,
		                                  p->cc_phone, sizeof p->cc_phone, err);
	return rc;
}

static int decide(mrt_session *s, const struct disclose_new *n, struct plan *p, unsigned labels,
                  struct access_decision *d, mrt_err *err)
{
	if (n->authorization_id && !p->authorization)
		return refuse(s, p, p->why, err);
	p->override = p->restriction && roi_purpose_overrides_restriction(p->purpose);
	struct access_target t = {
		.action = "disclose.new", .purpose = access_purpose_names[p->purpose],
		.patient_id = p->patient, .object_type = "patient",
		.object_id = p->patient, .extra_labels = labels,
		.restricted = p->restriction && !p->override,
		.authorized = p->authorization != 0 ||
		              (p->purpose == PURPOSE_EMERGENCY && !(labels & BIT(LABEL_PSYTHPN))),
	};
	int rc = access_svc_check(s, ACCESS_DISCLOSE, &t, d, err);
	char msg[MRT_ERR_MSG_MAX];
	if (rc == MRT_EACCESS && d->result == ACCESS_RESTRICTED) {
		snprintf(msg, sizeof msg, "%.400s (restriction %" PRId64 "; see mrt restriction list)",
		         err->msg, p->restriction);
		mrt_strlcpy(err->msg, msg, sizeof err->msg);
	} else if (rc == MRT_EACCESS && d->result == ACCESS_UNAUTHORIZED) {
		snprintf(msg, sizeof msg, "%.340s (authorization: %.150s)", err->msg, p->why);
		mrt_strlcpy(err->msg, msg, sizeof err->msg);
	}
	if (rc)
		return rc;
	if (p->needs_auth && !p->authorization)
		return refuse(s, p, p->why, err);
	return 0;
}

static int insert(mrt_session *s, const struct disclose_new *n, const struct plan *p,
                  const struct disclose_packet *pk, const char *at, const char *sha,
                  int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO disclosure (patient_id, disclosed_at, disclosed_on, recipient,"
		" recipient_address, purpose, kind, legal_basis, items, encounter_id, authorization_id,"
		" source_ref, override_restriction_id, part2_notice, withheld, packet_format, packet,"
		" packet_sha256, by_user) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	char today[MRT_DATE_LEN];
	mrt_date_format(today, mrt_date_today());
	mrt_stmt_bind_int(st, 1, p->patient);
	mrt_stmt_bind_text(st, 2, at);
	mrt_stmt_bind_text(st, 3, today);
	mrt_stmt_bind_text(st, 4, n->recipient);
	mrt_stmt_bind_text(st, 5, p->address);
	mrt_stmt_bind_text(st, 6, access_purpose_names[p->purpose]);
	mrt_stmt_bind_text(st, 7, p->kind);
	mrt_stmt_bind_text(st, 8, disclose_text(n->legal_basis));
	mrt_stmt_bind_text(st, 9, p->items_text);
	int64_t opt[] = { p->encounter, p->authorization };
	for (int i = 0; i < 2; i++) {
		if (opt[i])
			mrt_stmt_bind_int(st, 10 + i, opt[i]);
		else
			mrt_stmt_bind_null(st, 10 + i);
	}
	mrt_stmt_bind_text(st, 12, disclose_text(n->source_ref));
	if (p->override)
		mrt_stmt_bind_int(st, 13, p->restriction);
	else
		mrt_stmt_bind_null(st, 13);
	mrt_stmt_bind_int(st, 14, pk->part2);
	mrt_stmt_bind_int(st, 15, pk->withheld);
	mrt_stmt_bind_text(st, 16, n->format && strcmp(n->format, "fhir") == 0 ? "fhir" : "text");
	mrt_stmt_bind_blob(st, 17, pk->bytes.ptr ? pk->bytes.ptr : "", pk->bytes.len);
	mrt_stmt_bind_text(st, 18, sha);
	mrt_stmt_bind_int(st, 19, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*id = mrt_db_last_insert_id(db);
	return rc;
}

static int audit_new(mrt_session *s, const struct plan *p, const struct disclose_packet *pk,
                     const char *sha, int64_t id, const struct access_decision *d, mrt_err *err)
{
	char detail[600];
	int k = snprintf(detail, sizeof detail, "purpose %s; kind %s; items %s; sha256 %s",
	                 access_purpose_names[p->purpose], p->kind, p->items_text, sha);
	if (p->authorization && k > 0 && (size_t)k < sizeof detail)
		k += snprintf(detail + k, sizeof detail - (size_t)k, "; authorization %" PRId64,
		              p->authorization);
	if (p->override && k > 0 && (size_t)k < sizeof detail)
		k += snprintf(detail + k, sizeof detail - (size_t)k,
		              "; restriction %" PRId64 " overridden (%s)", p->restriction,
		              access_purpose_names[p->purpose]);
	if (pk->part2 && k > 0 && (size_t)k < sizeof detail)
		k += snprintf(detail + k, sizeof detail - (size_t)k, "; 42 CFR 2.32 notice");
	if (pk->withheld && k > 0 && (size_t)k < sizeof detail)
		snprintf(detail + k, sizeof detail - (size_t)k, "; %d psychotherapy notes withheld",
		         pk->withheld);
	return svc_audit(s, "disclose.new", "disclosure", id, p->patient, access_outcome(d),
	                 detail, err);
}

/* The packet goes to a temporary file beside out_path (mode 0600: patient
 * data), renamed into place after the commit. */
static int write_temp(const char *out, const struct disclose_packet *pk, char *tmp, size_t size,
                      mrt_err *err)
{
	snprintf(tmp, size, "%s.tmp-XXXXXX", out);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return mrt_err_set(err, MRT_EIO, "--out: cannot create a file beside %s: %s", out,
		                   strerror(errno));
	size_t off = 0;
	while (off < pk->bytes.len) {
		ssize_t w = write(fd, pk->bytes.ptr + off, pk->bytes.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int ok = off == pk->bytes.len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok) {
		unlink(tmp);
		return mrt_err_set(err, MRT_EIO, "--out: cannot write %s", out);
	}
	return 0;
}

static int record(mrt_session *s, const struct disclose_new *n, const struct plan *p,
                  const struct disclose_packet_req *req, const struct access_decision *d,
                  int64_t *id, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	struct disclose_packet pk;
	char sha[MRT_SHA256_HEX], tmp[4096] = "";
	unsigned char digest[MRT_SHA256_LEN];
	int rc = disclose_packet_build(db, req, &pk, err);
	if (rc == 0) {
		mrt_sha256_buf(digest, pk.bytes.ptr ? pk.bytes.ptr : "", pk.bytes.len);
		mrt_hex(sha, digest, sizeof digest);
		if (n->out_path)
			rc = write_temp(n->out_path, &pk, tmp, sizeof tmp, err);
	}
	if (rc == 0 && (rc = mrt_db_begin(db, err)) == 0) {
		rc = insert(s, n, p, &pk, req->disclosed_at, sha, id, err);
		if (rc == 0)
			rc = audit_new(s, p, &pk, sha, *id, d, err);
		rc = svc_finish(db, rc, err);
	}
	/* link() never replaces what may have appeared at out_path meanwhile
	 * (a file, a symbolic link): it fails instead. */
	if (tmp[0] && rc == 0 && link(tmp, n->out_path) != 0)
		rc = mrt_err_set(err, MRT_EIO, "disclosure %" PRId64 " recorded, but --out %s could not "
		                 "be put in place (%s); its packet is kept in the database", *id,
		                 n->out_path, strerror(errno));
	if (tmp[0])
		unlink(tmp);
	disclose_packet_free(&pk);
	return rc;
}

static int encounter_of(mrt_db *db, const char *account, int64_t patient, int64_t *enc,
                        mrt_err *err)
{
	int64_t owner = 0;
	int rc = chart_encounter_by_account(db, account, enc, &owner, err);
	if (rc == MRT_ENOTFOUND || (rc == 0 && owner != patient))
		return mrt_err_set(err, MRT_ENOTFOUND, "--encounter: the patient has no encounter with "
		                   "that account");
	return rc;
}

int disclose_svc_new(mrt_session *s, const struct disclose_new *n, int64_t *id, mrt_err *err)
{
	struct plan p;
	memset(&p, 0, sizeof p);
	*id = 0;
	int rc = check_input(n, &p, err);
	if (rc)
		return rc;
	struct access_decision d;
	rc = disclose_patient_find(s, ACCESS_DISCLOSE, "disclose.new", n->mrn, n->patient_id,
	                           &p.patient, &d, err);
	if (rc == 0 && n->encounter)
		rc = encounter_of(mrt_session_db(s), n->encounter, p.patient, &p.encounter, err);
	if (rc)
		return rc;
	char at[32];
	mrt_now_iso(at);
	struct disclose_packet_req req = {
		.patient_id = p.patient, .items = p.items, .encounter_id = p.encounter,
		.fhir = n->format && strcmp(n->format, "fhir") == 0, .recipient = n->recipient,
		.purpose = access_purpose_names[p.purpose], .legal_basis = disclose_text(n->legal_basis),
		.disclosed_at = at,
	};
	unsigned labels = 0;
	if ((rc = gather(s, n, &p, &req, &labels, err)) != 0 ||
	    (rc = decide(s, n, &p, labels, &d, err)) != 0)
		return rc;
	/* 164.522(b): the patient's own copy goes where they asked to be reached. */
	p.address = p.cc_address[0] ? p.cc_address : disclose_text(n->recipient_address);
	req.recipient_address = p.address;
	return record(s, n, &p, &req, &d, id, err);
}
