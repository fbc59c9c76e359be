/*
 * Benchmark: MLLP durable ingest. The listener runs in this process (a
 * thread) on a loopback port with a fresh database; sender threads replay
 * generated ADT A01 / A08 / A03 messages (an admission, an update, a
 * discharge per patient, in that order on one connection; the segments the
 * shared ADT samples carry: MSH EVN PID PV1 DG1) with distinct control ids,
 * one message outstanding per connection, and time each send -> ACK.
 * Printed for 1 and 64 connections: messages/s committed durably
 * (synchronous=FULL, ACK after commit), commits (groups) made, ACK latency
 * p50/p99/max. The peer, in the same run: the same messages applied by
 * import_hl7_apply one durable transaction each, with no network; and the
 * listener alone at 64 connections, its per-message step reduced to
 * parsing, building the ACK and one audit event (what the transport and
 * group commit can carry). Then peak RSS. --smoke = a short run.
 */
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "bench_common.h"
#include "server/mllp.h"
#include "server/mllp_frame.h"
#include "formats/hl7v2.h"
#include "service/import_hl7.h"
#include "service/site.h"
#include "store/db.h"

struct sender {
	int port, id, nconns;
	long nmsgs;  /* messages this connection sends */
	double *lat; /* seconds, one per message */
	long acked, not_aa;
	int failed;
};

/* Message k of connection c (patient c + nconns * (k / 3); event by k % 3). */
static int gen(mrt_buf *out, int run, int c, int nconns, long k)
{
	static const char *const ev[3] = {"A01", "A08", "A03"};
	long p = c + (long)nconns * (k / 3);
	int e = (int)(k % 3), day = 1 + (int)(p % 28);
	mrt_buf_reset(out);
	int rc = mrt_buf_addf(
	    out,
	    "MSH|^~\\&|BENCHADT|GENHOSP|MRT|HIM|202601%02d0830||ADT^%s^ADT_%s|B%d-%d-%ld|P|2.5.1\r"
	    "EVN|%s|202601%02d0830\r"
	    "PID|1||R%dM%07ld^^^GENHOSP^MR||Bench%ld^Pat^Q||19%02ld%02ld%02ld|%c|||%ld Main St^^"
	    "Springfield^IL^62701||555-01%02ld|||||R%dA%07ld\r",
	    day, ev[e], ev[e], run, c, k, ev[e], day, run, p, p, 40 + p % 50, 1 + p % 12,
	    1 + p % 28, "FM"[p % 2], 1 + p % 900, p % 100, run, p);
	if (rc == 0)
		rc = mrt_buf_addf(
		    out,
		    "PV1|1|I|4W^%ld^A^GENHOSP||||1234^Attending^Amy^^^Dr|||MED||||1|||1234^"
		    "Attending^Amy^^^Dr|IP|R%dA%07ld|||||||||||||||||||||%s||||202601%02d0800|%s\r"
		    "DG1|1|I10|I10^Essential (primary) hypertension^I10||202601%02d|A\r"
		    "DG1|2|I10|E11.9^Type 2 diabetes mellitus without "
		    "complications^I10||202601%02d|F\r",
		    400 + p % 40, run, p, e == 2 ? "01" : "", day, e == 2 ? "202601280900" : "",
		    day, day);
	return rc;
}

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int has_aa(const char *p, size_t n)
{
	for (size_t i = 0; i + 7 <= n; i++)
		if (p[i] == 'M' && memcmp(p + i, "MSA|AA|", 7) == 0)
			return 1;
	return 0;
}

/* Reads until one ACK frame is complete; 1 when it is an AA. */
static int read_ack(int fd, char *buf, size_t cap, size_t *have, struct mllp_deframer *d)
{
	size_t off = 0, n = 0;
	for (;;) {
		int r = mllp_deframe_next(d, buf, *have, &off, &n);
		if (r == MLLP_FRAME) {
			int aa = has_aa(buf + off, n);
			size_t k = mllp_deframer_consumed(d);
			memmove(buf, buf + k, *have - k);
			*have -= k;
			mllp_deframer_shift(d, k);
			return aa;
		}
		if (r != MLLP_MORE || *have == cap)
			return -1;
		ssize_t got = recv(fd, buf + *have, cap - *have, 0);
		if (got <= 0)
			return -1;
		*have += (size_t)got;
	}
}

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	char in[65536];
	mrt_buf msg = MRT_BUF_INIT(1u << 16), frame = MRT_BUF_INIT(1u << 16);
	struct mllp_deframer d;
	mllp_deframer_init(&d, sizeof in);
	size_t have = 0;
	int fd = connect_to(s->port);
	s->failed = fd < 0;
	for (long k = 0; !s->failed && k < s->nmsgs; k++) {
		mrt_buf_reset(&frame);
		if (gen(&msg, s->port, s->id, s->nconns, k) != 0 ||
		    mllp_frame_put(&frame, msg.ptr, msg.len) != 0) {
			s->failed = 1;
			break;
		}
		double t0 = bench_now();
		int aa = send_all(fd, frame.ptr, frame.len) == 0
			     ? read_ack(fd, in, sizeof in, &have, &d)
			     : -1;
		if (aa < 0) {
			s->failed = 1;
			break;
		}
		s->lat[k] = bench_now() - t0;
		s->acked++;
		s->not_aa += !aa;
	}
	if (fd >= 0)
		close(fd);
	mrt_buf_free(&msg);
	mrt_buf_free(&frame);
	return NULL;
}

struct result {
	double secs, p50, p99, max;
	long acked, not_aa, failed_conns;
	uint64_t commits;
};

static void *server_main(void *arg)
{
	mrt_err err = {0};
	if (mllp_server_run(arg, &err) != 0)
		fprintf(stderr, "bench_mllp: listener: %s\n", err.msg);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void stats(struct sender *snd, int nconns, long per, struct result *r)
{
	double *all = malloc(sizeof *all * (size_t)(nconns * per) + 1);
	long n = 0;
	for (int i = 0; i < nconns; i++) {
		for (long k = 0; all && k < snd[i].acked; k++)
			all[n++] = snd[i].lat[k];
		r->acked += snd[i].acked;
		r->not_aa += snd[i].not_aa;
		r->failed_conns += snd[i].failed;
	}
	if (all && n > 0) {
		qsort(all, (size_t)n, sizeof *all, cmp_double);
		r->p50 = all[n / 2];
		r->p99 = all[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
		r->max = all[n - 1];
	}
	free(all);
}

static int send_all_conns(int port, int nconns, long per, struct result *r)
{
	struct sender *snd = calloc((size_t)nconns, sizeof *snd);
	pthread_t *th = calloc((size_t)nconns, sizeof *th);
	int rc = snd && th ? 0 : MRT_ENOMEM;
	int started = 0;
	double t0 = bench_now();
	for (int i = 0; rc == 0 && i < nconns; i++) {
		snd[i] = (struct sender){.port = port, .id = i, .nconns = nconns, .nmsgs = per};
		snd[i].lat = calloc((size_t)per + 1, sizeof *snd[i].lat);
		if (!snd[i].lat || pthread_create(&th[i], NULL, sender_main, &snd[i]) != 0)
			rc = MRT_ENOMEM;
		else
			started++;
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	r->secs = bench_now() - t0;
	if (rc == 0)
		stats(snd, nconns, per, r);
	for (int i = 0; snd && i < nconns; i++)
		free(snd[i].lat);
	free(snd);
	free(th);
	return rc;
}

/* The listener on its own: each message parsed, its ACK built and one
 * audit event written, nothing mapped to the chart. */
static int bare_apply(mrt_session *s, const char *msg, size_t len, const char *channel,
		      struct hl7_apply_result *res, mrt_err *err)
{
	(void)channel;
	memset(res, 0, sizeof *res);
	mrt_buf_init(&res->ack, 1u << 20);
	hl7_msg m;
	hl7_msg_init(&m);
	struct hl7_ack_opts o = {
	    .code = "AA", .app = "MRT", .timestamp = "20260101120000", .control_id = "BARE"};
	int rc = hl7_parse(&m, msg, len, err);
	if (rc == 0)
		rc = hl7_ack(&res->ack, &m, &o, err);
	memcpy(res->ack_code, "AA", 3);
	struct mrt_audit_rec a = {.action = "hl7.apply",
				  .object_type = "hl7_message",
				  .object_id = m.control_id,
				  .detail = "bench"};
	if (rc == 0)
		rc = mrt_session_audit(s, &a, err);
	hl7_msg_free(&m);
	return rc;
}

static int one_run(const char *dir, int nconns, long per, listen_apply_fn apply, struct result *r,
		   mrt_err *err)
{
	char db[600];
	snprintf(db, sizeof db, "%s/mllp-%d-%s.db", dir, nconns, apply ? "bare" : "full");
	memset(r, 0, sizeof *r);
	mrt_session *s = NULL;
	mllp_server *srv = NULL;
	struct mrt_site_info info;
	struct mllp_opts o = {
	    .host = "127.0.0.1", .port = "0", .max_conns = nconns + 8, .apply = apply};
	int rc = mrt_site_init(&s, db, &info, err);
	if (rc == 0)
		rc = mllp_server_open(&srv, s, &o, err);
	pthread_t st;
	if (rc == 0 && pthread_create(&st, NULL, server_main, srv) != 0)
		rc = mrt_err_set(err, MRT_ENOMEM, "cannot start the listener thread");
	if (rc == 0) {
		rc = send_all_conns(mllp_server_port(srv), nconns, per, r);
		mllp_server_stop(srv);
		pthread_join(st, NULL);
		struct listen_counts k;
		mllp_server_counts(srv, &k);
		r->commits = k.commits;
	}
	mllp_server_close(srv);
	mrt_session_close(s);
	if (rc == 0 && (r->failed_conns || r->not_aa))
		rc = mrt_err_set(err, MRT_EIO, "%ld connections failed, %ld messages not AA",
				 r->failed_conns, r->not_aa);
	return rc;
}

/* The peer: the same messages applied one durable transaction each. */
static int peer(const char *dir, long n, double *rate, mrt_err *err)
{
	char db[600];
	snprintf(db, sizeof db, "%s/peer.db", dir);
	mrt_session *s = NULL;
	struct mrt_site_info info;
	mrt_buf msg = MRT_BUF_INIT(1u << 16);
	int rc = mrt_site_init(&s, db, &info, err);
	if (rc == 0)
		rc = mrt_db_set_durable(mrt_session_db(s), err);
	double t0 = bench_now();
	for (long k = 0; rc == 0 && k < n; k++) {
		struct hl7_apply_result res;
		memset(&res, 0, sizeof res);
		mrt_buf_init(&res.ack, 1u << 20);
		rc = gen(&msg, 0, 0, 1, k);
		if (rc == 0)
			rc = import_hl7_apply(s, msg.ptr, msg.len, "bench", &res, err);
		if (rc == 0 && strcmp(res.ack_code, "AA") != 0)
			rc = mrt_err_set(err, MRT_EINVAL, "peer: message %ld got %s: %s", k,
					 res.ack_code, res.reason);
		hl7_apply_result_free(&res);
	}
	*rate = (double)n / (bench_now() - t0);
	mrt_buf_free(&msg);
	mrt_session_close(s);
	return rc;
}

static void print(int nconns, const struct result *r)
{
	printf("  %2d connection%s: %8.0f msgs/s  (%ld msgs, %" PRIu64 " commits, %.2f s)  "
	       "ACK latency p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
	       nconns, nconns == 1 ? " " : "s", (double)r->acked / r->secs, r->acked, r->commits,
	       r->secs, r->p50 * 1e3, r->p99 * 1e3, r->max * 1e3);
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	long per1 = smoke ? 300 : 3000, per64 = smoke ? 30 : 600, npeer = smoke ? 300 : 2000;
	mrt_err err = {0};
	char dir[] = "/tmp/mrt-bench-mllp-XXXXXX";
	if (mrt_hash_init(&err) != 0 || !mkdtemp(dir))
		return 1;
	unsetenv("MRT_HOME");
	signal(SIGPIPE, SIG_IGN);
	struct result r1, r64, rb;
	double prate = 0;
	printf("bench_mllp: loopback MLLP, generated ADT A01/A08/A03 (MSH EVN PID PV1 DG1 DG1), "
	       "durable commits (synchronous=FULL), ACK after commit\n");
	/* sync() before each run: dirty pages left by the one before would
	 * otherwise be written by this run's fsyncs (ext4 ordered mode). */
	sync();
	int rc = one_run(dir, 1, per1, NULL, &r1, &err);
	if (rc == 0)
		print(1, &r1);
	sync();
	if (rc == 0 && (rc = one_run(dir, 64, per64, NULL, &r64, &err)) == 0)
		print(64, &r64);
	sync();
	if (rc == 0 && (rc = peer(dir, npeer, &prate, &err)) == 0)
		printf("  peer, import_hl7_apply, 1 durable transaction per message, no network: "
		       "%8.0f msgs/s (%ld msgs)\n",
		       prate, npeer);
	sync();
	if (rc == 0 && (rc = one_run(dir, 64, per64, bare_apply, &rb, &err)) == 0) {
		printf("  the listener alone (each message parsed, ACKed and audited, no chart "
		       "writes):\n");
		print(64, &rb);
	}
	printf("  peak RSS: %ld kB\n", bench_peak_rss_kb());
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_mllp: could not remove %s\n", dir);
	if (rc) {
		fprintf(stderr, "bench_mllp: %s\n", err.msg);
		return 1;
	}
	return 0;
}
