/* The one waiver type and its report (see waiver.h). */
#include <stddef.h>
#include <stdio.h>

#include "waiver.h"
#include "platci/buf.h"
#include "util/common.h"
#include "util/banned.h"

static void waiver_check(rf_ctx *c, const platci_node *map, void *obj)
{
	waiver_base *w = obj;

	platci_waiver__place(w, c->file, map);
	if (!w->owner && !w->ticket)
		platci_rulefile__error(c, map,
			"a waiver needs \"owner\" or \"ticket\": who answers "
			"for it");
}

static const rf_key waiver_keys[] = {
	{ RF_KEY("reason", RF_STR, RF_REQUIRED | RF_NONEMPTY, waiver_base, reason) },
	{ RF_KEY("owner", RF_STR, RF_NONEMPTY, waiver_base, owner) },
	{ RF_KEY("ticket", RF_STR, RF_NONEMPTY, waiver_base, ticket) },
	{ RF_KEY("expires", RF_EXPIRY, RF_REQUIRED, waiver_base, expires) },
};
const rf_table platci_waiver__table = RF_TABLE("a waiver", waiver_keys, waiver_base, NULL, waiver_check);

void platci_waiver__place(waiver_base *w, const char *file, const platci_node *at)
{
	platci_pos pos = platci_node_start(at);

	w->node = at;
	w->file = file;
	w->line = pos.line;
	w->column = pos.column;
}

int platci_waiver__expired(const waiver_base *w, time_t now)
{
	return w->expires.at && now >= w->expires.at;
}

int platci_waiver__live(const waiver_base *w, time_t now)
{
	return !w->invalid && !platci_waiver__expired(w, now);
}

int platci_waiver__report(const waiver_base *w, const waiver_rules *rules, const char *label,
	const char *key, const char *env, time_t now, platci_findings *out)
{
	platci_buf msg = PLATCI_BUF_INIT;
	platci_finding f;
	int error;

	memset(&f, 0, sizeof(f));
	if (w->invalid && rules->invalid) {
		f.rule_id = rules->invalid;
		f.severity = PLATCI_SEVERITY_MAJOR;
		f.enforcement = PLATCI_ENFORCE_DENY;
		platci_buf_printf(&msg, "%s cannot be used: %s", label, w->invalid);
	} else if (platci_waiver__expired(w, now)) {
		f.rule_id = rules->expired;
		f.severity = w->used_expired ? PLATCI_SEVERITY_MAJOR : PLATCI_SEVERITY_MINOR;
		platci_buf_printf(&msg, "%s expired on %s", label, w->expires.text);
		if (!rules->counted)
			platci_buf_puts(&msg,
				"; it waives nothing any more: renew it with a new date, "
				"or delete it");
		else if (w->used_expired)
			platci_buf_printf(&msg, "; the %zu finding(s) it covered are reported again",
				w->used_expired);
		else
			platci_buf_puts(&msg, "; it matches nothing now either: remove it");
	} else if (!w->seen && rules->unused) {
		f.rule_id = rules->unused;
		f.severity = PLATCI_SEVERITY_INFO;
		platci_buf_printf(&msg, "%s matched nothing in %s (stale): remove it or fix its scope",
			label, rules->scope);
	} else {
		return 0;
	}
	if (w->owner)
		platci_buf_printf(&msg, " (owner %s)", w->owner);
	else if (w->ticket)
		platci_buf_printf(&msg, " (ticket %s)", w->ticket);
	if (!out) {
		platci_buf_dispose(&msg);
		return 1;
	}
	if (msg.error) {
		platci_buf_dispose(&msg);
		return PLATCI_ENOMEM;
	}
	f.message = msg.ptr;
	f.file = w->file;
	f.line = w->line;
	f.column = w->column;
	f.env = env;
	f.key = key;
	error = platci_findings_add(out, &f);
	platci_buf_dispose(&msg);
	return error < 0 ? error : 1;
}
