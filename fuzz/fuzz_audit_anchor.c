/*
 * Fuzz target for the audit anchor file reader (privacy/audit): each line
 * of the input goes through audit_anchor_parse; the parsed entries are
 * matched against a short valid chain the way `mrt audit verify` does.
 * Whatever the file holds, the checks must end in "intact" or a tamper
 * report, never a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "privacy/audit.h"

#define CHAIN 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char key[MRT_HMAC_KEY_LEN] = { 1, 2, 3 };
	static char macs[CHAIN][AUDIT_MAC_HEX];
	struct audit_event ev[CHAIN];
	const char *prev = AUDIT_GENESIS;
	for (int i = 0; i < CHAIN; i++) {
		ev[i] = (struct audit_event){ .id = i + 1, .at = "2026-01-01T00:00:00Z", .actor = "a",
		                              .action = "x", .outcome = "allow", .prev_mac = prev };
		audit_mac(macs[i], key, &ev[i]);
		ev[i].mac = macs[i];
		prev = macs[i];
	}
	struct audit_anchor_set set = { 0 };
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		struct audit_anchor a;
		if (audit_anchor_parse(&a, p, len) == 0 && audit_anchor_set_add(&set, &a) != 0)
			break;
		p += len;
	}
	audit_anchor_set_sort(&set);
	mrt_err err = { 0 };
	int64_t broken = 0;
	int bad = 0;
	for (int i = 0; i < CHAIN && !bad; i++)
		bad = audit_anchor_set_match(&set, &ev[i], &err, &broken) != 0;
	if (!bad)
		audit_anchor_set_finish(&set, &err, &broken);
	audit_anchor_set_free(&set);
	return 0;
}
