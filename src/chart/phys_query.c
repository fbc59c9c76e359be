/*
 * Physician query compliance rules (phys_query.h): the words a query may
 * not contain, the yes/no shapes it may not take, and the options every
 * multiple-choice query carries.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "chart/phys_query.h"

/* Leading content: money and scores (single words, lower case). */
static const char *const banned_words[] = {
    "payment",	 "payments",   "pay", "paid", "payer", "drg",  "drgs", "reimbursement",
    "reimburse", "reimbursed", "cc",  "mcc",  "ccs",   "mccs", "hcc",  "revenue",
};

/* Open questions that are a yes/no about one diagnosis. */
static const char *const yes_no_openings[] = {
    "does the patient have", "did the patient have", "is the patient",
    "was the patient",	     "can you document",     "could you document",
    "would you document",    "please document",	     "please add",
    "do you agree",
};

static void lower_copy(char *out, size_t cap, const char *in)
{
	size_t i = 0;
	for (; in[i] && i + 1 < cap; i++)
		out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] - 'A' + 'a' : in[i]);
	out[i] = 0;
}

static int word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* The banned word (or "quality score") text holds, or NULL. */
static const char *banned_in(const char *text)
{
	char buf[4096];
	lower_copy(buf, sizeof buf, text);
	const char *p = buf;
	char prev[32] = "";
	while (*p) {
		while (*p && !word_char(*p))
			p++;
		size_t n = 0;
		while (word_char(p[n]))
			n++;
		if (!n)
			break;
		char w[32];
		size_t m = n < sizeof w - 1 ? n : sizeof w - 1;
		memcpy(w, p, m);
		w[m] = 0;
		for (size_t i = 0; i < sizeof banned_words / sizeof banned_words[0]; i++)
			if (strcmp(w, banned_words[i]) == 0)
				return banned_words[i];
		if (strcmp(prev, "quality") == 0 &&
		    (strncmp(w, "score", 5) == 0 || strncmp(w, "measure", 7) == 0 ||
		     strncmp(w, "rating", 6) == 0))
			return "quality score";
		mrt_strlcpy(prev, w, sizeof prev);
		p += n;
	}
	return NULL;
}

static const char *option_kind(const char *opt)
{
	char b[256];
	lower_copy(b, sizeof b, opt);
	if (strncmp(b, "other", 5) == 0)
		return "other";
	if (strstr(b, "undetermined") || strstr(b, "unable to determine") ||
	    strstr(b, "cannot be determined"))
		return "undetermined";
	return "clinical";
}

static int is_yes_no(const char *opt)
{
	char b[16];
	lower_copy(b, sizeof b, opt);
	return strcmp(b, "yes") == 0 || strcmp(b, "no") == 0;
}

int pq_check(const char *question, const char *const *opts, size_t n_opts, char *why,
	     size_t why_len)
{
	const char *w;
	if (!question || !*question)
		return snprintf(why, why_len, "--question: the question is empty"), -1;
	if (strlen(question) > 4000)
		return snprintf(why, why_len, "--question: at most 4000 characters"), -1;
	for (size_t i = 0; i < n_opts; i++)
		if (!opts[i] || !*opts[i] || strlen(opts[i]) > 500)
			return snprintf(why, why_len, "--option %zu: 1 to 500 characters", i + 1),
			       -1;
	if (n_opts > PQ_MAX_OPTIONS - 2)
		return snprintf(why, why_len, "--option: at most %d options", PQ_MAX_OPTIONS - 2),
		       -1;
	if ((w = banned_in(question)) != NULL)
		return snprintf(
			   why, why_len,
			   "--question: leading query: mentions %s (payment, DRG,"
			   " reimbursement, CC/MCC and quality scores have no place in a query)",
			   w),
		       -1;
	size_t clinical = 0;
	for (size_t i = 0; i < n_opts; i++) {
		if ((w = banned_in(opts[i])) != NULL)
			return snprintf(why, why_len, "--option %zu: leading query: mentions %s",
					i + 1, w),
			       -1;
		if (is_yes_no(opts[i]))
			return snprintf(why, why_len,
					"--option %zu: a yes/no choice on a single diagnosis"
					" is leading: offer the clinically reasonable diagnoses",
					i + 1),
			       -1;
		clinical += strcmp(option_kind(opts[i]), "clinical") == 0;
	}
	if (n_opts > 0 && clinical < 2)
		return snprintf(why, why_len,
				"--option: a multiple-choice query offers at least two"
				" clinically reasonable options (a single one is a yes/no)"),
		       -1;
	char q[4096];
	lower_copy(q, sizeof q, question);
	for (size_t i = 0; n_opts == 0 && i < sizeof yes_no_openings / sizeof yes_no_openings[0];
	     i++)
		if (strncmp(q, yes_no_openings[i], strlen(yes_no_openings[i])) == 0)
			return snprintf(why, why_len,
					"--question: a yes/no question on a single diagnosis"
					" is leading: ask open-ended or offer options"),
			       -1;
	return 0;
}

size_t pq_options(const char *const *opts, size_t n_opts, struct pq_option *out, size_t cap)
{
	size_t n = 0;
	int other = 0, undet = 0;
	if (n_opts == 0)
		return 0;
	for (size_t i = 0; i < n_opts && n < cap; i++) {
		out[n].text = opts[i];
		out[n].kind = option_kind(opts[i]);
		other |= strcmp(out[n].kind, "other") == 0;
		undet |= strcmp(out[n].kind, "undetermined") == 0;
		n++;
	}
	if (!other && n < cap)
		out[n++] = (struct pq_option){PQ_OTHER, "other"};
	if (!undet && n < cap)
		out[n++] = (struct pq_option){PQ_UNDETERMINED, "undetermined"};
	return n;
}
