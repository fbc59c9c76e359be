/*
 * The document-kind mapping table of the chart deficiency analysis
 * (deficiency.h): LOINC document type codes, HL7 v2 table 0270 document
 * types (TXA-2) and, for documents with neither, words of the title. Also
 * the timestamp reader the analysis compares times with.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "chart/deficiency.h"

struct kind_code {
	const char *code;
	const char *kind;
};

/* LOINC document ontology codes (https://loinc.org). */
static const struct kind_code loinc[] = {
    {"34117-2", DQ_KIND_HP},	    /* History and physical note */
    {"47039-3", DQ_KIND_HP},	    /* Hospital Admission history and physical note */
    {"28626-0", DQ_KIND_HP},	    /* Physician History and physical note */
    {"11492-6", DQ_KIND_HP},	    /* Provider-unspecified History and physical note */
    {"11504-8", DQ_KIND_OPERATIVE}, /* Surgical operation note */
    {"34874-8", DQ_KIND_OPERATIVE}, /* Surgical operation note */
    {"18842-5", DQ_KIND_DISCHARGE}, /* Discharge summary */
    {"28655-9", DQ_KIND_DISCHARGE}, /* Physician attending Discharge summary */
    {"11506-3", DQ_KIND_PROGRESS},  /* Progress note */
    {"18733-6", DQ_KIND_PROGRESS},  /* Attending Progress note */
};

/* HL7 v2 table 0270, Document type (TXA-2). */
static const struct kind_code hl7_0270[] = {
    {"HP", DQ_KIND_HP},
    {"OP", DQ_KIND_OPERATIVE},
    {"DS", DQ_KIND_DISCHARGE},
    {"PR", DQ_KIND_PROGRESS},
};

/* Title words, most specific first (matched case-insensitively). */
static const struct kind_code title_words[] = {
    {"h&p update", DQ_KIND_HP_UPDATE},	     {"history and physical update", DQ_KIND_HP_UPDATE},
    {"interval history", DQ_KIND_HP_UPDATE}, {"update note", DQ_KIND_HP_UPDATE},
    {"history and physical", DQ_KIND_HP},    {"h&p", DQ_KIND_HP},
    {"operative report", DQ_KIND_OPERATIVE}, {"operative note", DQ_KIND_OPERATIVE},
    {"operation note", DQ_KIND_OPERATIVE},   {"discharge summary", DQ_KIND_DISCHARGE},
    {"progress note", DQ_KIND_PROGRESS},
};

static const char *find(const struct kind_code *t, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].kind;
	return NULL;
}

static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i]) {
			char c = hay[i];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != needle[i])
				break;
			i++;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

static int is_loinc(const char *system)
{
	return system && (contains_nocase(system, "loinc") || strcmp(system, "LN") == 0 ||
			  strcmp(system, "2.16.840.1.113883.6.1") == 0);
}

const char *dq_doc_kind(const char *type_system, const char *type, const char *title)
{
	const char *k = NULL;
	if (type && *type) {
		if (is_loinc(type_system))
			k = find(loinc, sizeof loinc / sizeof loinc[0], type);
		else if (!type_system || !*type_system || strcmp(type_system, "HL70270") == 0)
			k = find(hl7_0270, sizeof hl7_0270 / sizeof hl7_0270[0], type);
	}
	if (k || !title)
		return k;
	for (size_t i = 0; i < sizeof title_words / sizeof title_words[0]; i++)
		if (contains_nocase(title, title_words[i].code))
			return title_words[i].kind;
	return NULL;
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* The time of day and zone after "YYYY-MM-DD": minutes to add. */
static int clock_part(const char *p, int64_t *add)
{
	int h = 0, m = 0, zh = 0, zm = 0;
	*add = 0;
	if (!*p)
		return 0;
	if ((*p != 'T' && *p != ' ') || digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &m))
		return -1;
	p += 6;
	if (*p == ':') {
		int sec;
		if (digits(p + 1, 2, &sec))
			return -1;
		p += 3;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	int sign = 0;
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &zh) || p[3] != ':' || digits(p + 4, 2, &zm))
			return -1;
		p += 6;
	}
	if (*p || h > 23 || m > 59)
		return -1;
	*add = (int64_t)h * 60 + m - sign * ((int64_t)zh * 60 + zm);
	return 0;
}

int dq_time_parse(const char *s, int64_t *minutes)
{
	mrt_day day;
	int64_t add;
	if (mrt_date_parse_lead(&day, s) != 0 || clock_part(s + 10, &add) != 0)
		return -1;
	*minutes = (int64_t)day * 1440 + add;
	return 0;
}
