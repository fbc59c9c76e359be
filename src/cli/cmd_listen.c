/*
 * `mrt listen --mllp HOST:PORT [--max-connections N] [--batch-ms MS]
 * [--max-frame BYTES]`: receives HL7 v2 messages over MLLP until SIGTERM
 * or SIGINT (admin or him). Says "listening on HOST:PORT" on stderr when
 * ready; at a stop, commits and acknowledges what was received, prints the
 * counts on stderr and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "server/mllp.h"

#define USAGE "--mllp HOST:PORT [--max-connections N] [--batch-ms MS] [--max-frame BYTES]"

static mllp_server *volatile g_server;

static void on_signal(int sig)
{
	(void)sig;
	mllp_server *srv = g_server;
	if (srv)
		mllp_server_stop(srv);
}

/* HOST:PORT, [IPv6]:PORT. */
static int split_addr(const char *a, char *host, size_t hn, char *port, size_t pn)
{
	const char *colon = strrchr(a, ':');
	if (!colon || colon == a || !colon[1] || strlen(colon + 1) >= pn)
		return -1;
	const char *h = a;
	size_t n = (size_t)(colon - a);
	if (a[0] == '[' && colon[-1] == ']') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= hn)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	mrt_strlcpy(port, colon + 1, pn);
	int64_t v = -1;
	return mrt_parse_i64(&v, port) == 0 && v >= 0 && v <= 65535 ? 0 : -1;
}

static int number(struct cli_ctx *ctx, const char *opt, const char *v, int64_t lo, int64_t hi,
		  int64_t *out)
{
	if (mrt_parse_i64(out, v) != 0 || *out < lo || *out > hi)
		return cli_usage(ctx, "listen: %s needs a number from %lld to %lld", opt,
				 (long long)lo, (long long)hi);
	return 0;
}

static int parse(struct cli_ctx *ctx, struct mllp_opts *o, char *host, char *port)
{
	const char *addr = NULL, *conns = NULL, *batch = NULL, *frame = NULL;
	static const char *const opts[] = {"--mllp", "--max-connections", "--batch-ms",
					   "--max-frame"};
	const char **slots[] = {&addr, &conns, &batch, &frame};
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "listen", USAGE))
			return 1;
		int r = 0;
		for (size_t k = 0; r == 0 && k < sizeof opts / sizeof opts[0]; k++)
			r = cli_arg_value(ctx, &i, opts[k], slots[k]);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "listen: unknown argument %s", ctx->argv[i]);
	}
	if (!addr)
		return cli_usage(ctx, "usage: mrt listen %s", USAGE);
	if (split_addr(addr, host, 256, port, 16) != 0)
		return cli_usage(ctx, "listen: --mllp needs HOST:PORT (port 0-65535)");
	int64_t v = 0;
	if (conns && number(ctx, "--max-connections", conns, 1, 4096, &v))
		return CLI_USAGE;
	o->max_conns = conns ? (int)v : 0;
	if (batch && number(ctx, "--batch-ms", batch, 0, 10000, &v))
		return CLI_USAGE;
	o->batch_ms = batch ? (int)v : 0;
	if (frame && number(ctx, "--max-frame", frame, 1024, 16 << 20, &v))
		return CLI_USAGE;
	o->max_frame = frame ? (size_t)v : 0;
	o->host = host;
	o->port = port;
	return 0;
}

static void signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void report(const mllp_server *srv)
{
	struct listen_counts k;
	mllp_server_counts(srv, &k);
	fprintf(stderr,
		"stopped: %llu messages (%llu AA, %llu AE, %llu AR, %llu duplicates, %llu not "
		"stored) in %llu commits from %llu connections\n",
		(unsigned long long)k.messages, (unsigned long long)k.aa, (unsigned long long)k.ae,
		(unsigned long long)k.ar, (unsigned long long)k.duplicates,
		(unsigned long long)k.not_stored, (unsigned long long)k.commits,
		(unsigned long long)k.connections);
}

static int run(struct cli_ctx *ctx)
{
	struct mllp_opts o = {0};
	char host[256], port[16];
	int rc = parse(ctx, &o, host, port);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	mllp_server *srv = NULL;
	rc = mllp_server_open(&srv, s, &o, &err);
	if (rc == 0) {
		g_server = srv;
		signals();
		fprintf(stderr, "listening on %s\n", mllp_server_addr(srv));
		rc = mllp_server_run(srv, &err);
		report(srv);
		g_server = NULL;
	}
	mllp_server_close(srv);
	mrt_session_close(s);
	return rc ? cli_fail(&err) : CLI_OK;
}

const struct cli_cmd cli_cmd_listen = {"listen", NULL, USAGE,
				       "receive HL7 v2 messages over MLLP (admin or him)", run};
