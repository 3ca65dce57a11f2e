/*
 * The one waiver type: a manifest exception, a scan waiver (platci's own,
 * or read from .trivyignore, .trivyignore.yaml and GitLab's allowlist), a
 * drift ignore rule. Each domain embeds it (RF_EMBED of
 * platci_waiver__table) beside what it matches on ("id or match"), and
 * shares what every waiver says: why (reason), who answers for it (owner
 * or ticket) and until when (expires: valid through the end of that day
 * in the platform's zone, platci_time_parse_expiry()). Expired and unused
 * waivers are reported one way, by platci_waiver__report().
 */
#ifndef PLATCI_SRC_WAIVER_H
#define PLATCI_SRC_WAIVER_H

#include "platci/findings.h"
#include "rulefile.h"

typedef struct waiver_base {
	const platci_node *node; /* where it is written, or NULL (a .trivyignore line) */
	const char *file;
	size_t line, column;
	const char *reason;
	const char *owner;
	const char *ticket;
	rf_expiry expires; /* expires.at 0: never (only formats that cannot say) */
	const char *invalid; /* why it cannot be used at all, or NULL */
	size_t seen; /* findings in the input it matches, whatever happened to them */
	size_t used; /* findings it waived */
	size_t used_expired; /* findings it would have waived had it not expired */
} waiver_base;

/*
 * reason, owner, ticket and expires, to embed in a domain's table; its
 * check records the position and requires a reason, an owner or a ticket,
 * and an expiry.
 */
extern const rf_table platci_waiver__table;

/* Fills file, line and column from @p at (the waiver's mapping). */
void platci_waiver__place(waiver_base *w, const char *file, const platci_node *at);

/* 1 when @p w has an expiry and it has passed at @p now. */
int platci_waiver__expired(const waiver_base *w, time_t now);

/* 1 when @p w may waive a finding at @p now: valid and not expired. */
int platci_waiver__live(const waiver_base *w, time_t now);

/* What a domain calls its findings about waivers. */
typedef struct waiver_rules {
	const char *invalid; /* rule id for waivers that cannot be used, or NULL */
	const char *expired; /* rule id for expired waivers */
	const char *unused; /* rule id for waivers that matched nothing, or NULL: not judged */
	const char *scope; /* "this scan": "matched nothing in <scope>" */
	int counted; /* the domain counts what each waiver matched (seen, used...) */
} waiver_rules;

/*
 * Adds the finding about @p w, if any: invalid, expired (and whether what
 * it covered is back), or unused (stale). @p label names it in messages
 * ("waiver for CVE-2024-1"), @p key keys its fingerprint, @p env (may be
 * NULL) is the run's environment.
 *
 * @return 1 when a finding was added (or would be: @p out may be NULL), 0
 *         when the waiver is fine, or PLATCI_ENOMEM.
 */
int platci_waiver__report(const waiver_base *w, const waiver_rules *rules, const char *label,
	const char *key, const char *env, time_t now, platci_findings *out);

#endif
