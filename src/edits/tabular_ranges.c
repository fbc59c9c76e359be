/*
 * The codes a tabular note names, as ranges that test a code in a few
 * comparisons: "(E10.-)" is every code under E10, "(E08-E13)" the
 * categories E08 to E13, "(K80.00-K80.19)" the subcategories between,
 * "(T36-T50 with fifth or sixth character 5)" adds a character test.
 * Only references inside parentheses count: "vitamin B12" in a note's
 * words is not a code.
 */
#include <ctype.h>
#include <string.h>

#include "edits/tabular_int.h"

/* Reads one code at p ("E08.22", "I12.-", "M47.2.-") into out (undotted,
 * trailing dashes dropped); returns the characters read, 0 when p holds
 * no code. */
static size_t read_code(const char *p, char out[8])
{
	size_t i = 0, n = 0;
	if (!isupper((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isalnum((unsigned char)p[2]))
		return 0;
	for (;; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (isdigit(ch) || isupper(ch)) {
			if (n >= 7)
				return 0;
			out[n++] = (char)ch;
		} else if (ch == '.') {
			continue;
		} else if (ch == '-' && !isupper((unsigned char)p[i + 1])) {
			continue; /* "E10.-", "O24.4-": any code below */
		} else {
			break;
		}
	}
	out[n] = '\0';
	return n >= 3 ? i : 0;
}

static char fifth_or_sixth(const char *p, const char *end)
{
	static const char key[] = "fifth or sixth character ";
	const char *k = strstr(p, key);
	if (!k || k >= end)
		return 0;
	k += sizeof key - 1;
	return k < end && isalnum((unsigned char)*k) ? *k : 0;
}

/* One comma-separated item of a parenthesis: a code or "A-B". */
static int parse_item(const char *p, const char *end, struct tab_range *r)
{
	while (p < end && *p == ' ')
		p++;
	size_t n = read_code(p, r->lo);
	if (!n || p + n > end)
		return 0;
	memcpy(r->hi, r->lo, sizeof r->hi);
	p += n;
	if (*p == '-' && p + 1 < end && isupper((unsigned char)p[1])) {
		size_t m = read_code(p + 1, r->hi);
		if (!m || p + 1 + m > end)
			return 0;
		p += 1 + m;
	}
	r->lolen = (uint8_t)strlen(r->lo);
	r->hilen = (uint8_t)strlen(r->hi);
	r->klo = tab_key(r->lo);
	r->khi = tab_key(r->hi) | ~(~0ull << (64 - 8 * r->hilen)); /* anything below hi */
	r->at56 = fifth_or_sixth(p, end);
	return r->klo <= r->khi; /* "T36-T19" names nothing */
}

int tab_parse_ranges(const char *text, struct tab_range *out, int max)
{
	int found = 0;
	const char *p = strchr(text, '(');
	while (p && found < max) {
		const char *end = strchr(p, ')');
		if (!end)
			break;
		for (const char *item = p + 1; item < end && found < max;) {
			const char *comma = memchr(item, ',', (size_t)(end - item));
			const char *stop = comma ? comma : end;
			if (parse_item(item, stop, &out[found]))
				found++;
			item = stop + 1;
		}
		p = strchr(end, '(');
	}
	return found;
}

int tab_range_match(const struct tab_range *r, uint64_t key, const char *code)
{
	if (key < r->klo || key > r->khi)
		return 0;
	if (!r->at56)
		return 1;
	size_t n = strnlen(code, 8);
	return (n > 4 && code[4] == r->at56) || (n > 5 && code[5] == r->at56);
}

void tab_dot(char out[TAB_DOT_MAX], const char *code)
{
	size_t n = strnlen(code, TAB_DOT_MAX - 2);
	if (n <= 3 || strchr(code, '-')) { /* a category, or a range "A00-B99" */
		memcpy(out, code, n);
		out[n] = '\0';
		return;
	}
	memcpy(out, code, 3);
	out[3] = '.';
	memcpy(out + 4, code + 3, n - 3);
	out[n + 1] = '\0';
}
