#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platci/findings.h"
#include "report_int.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/utf8.h"
#include "util/banned.h"

struct platci_findings {
	platci_finding *items;
	size_t count, alloc;
	platci_arena strings;
};

static const char *const severity_names[] = { "info", "minor", "major", "critical", "blocker" };
static const char *const baseline_names[] = { NULL, "new", "existing", "fixed" };

const char *platci_baseline_name(platci_baseline b)
{
	return (unsigned)b < PLATCI_ARRAY_SIZE(baseline_names) ? baseline_names[b] : NULL;
}

int platci_findings_new(platci_findings **out)
{
	platci_findings *l = calloc(1, sizeof(*l));

	*out = l;
	if (!l)
		return PLATCI_ENOMEM;
	platci_arena_init(&l->strings, 16384);
	return 0;
}

void platci_findings_free(platci_findings *list)
{
	if (!list)
		return;
	free(list->items);
	platci_arena_dispose(&list->strings);
	free(list);
}

static const char *copy(platci_findings *l, const char *s, int *failed)
{
	char *c;

	if (!s)
		return NULL;
	if (!(c = platci_arena_strdup(&l->strings, s))) {
		*failed = 1;
		return NULL;
	}
	/* Reports are JSON and XML: text from hostile input must be valid UTF-8. */
	platci__utf8_sanitize(c);
	return c;
}

int platci_findings__fingerprint(platci_sha256 *h, char hex[PLATCI_SHA256_HEX_SIZE],
	const platci_finding *f)
{
	const char *parts[4];
	int error;

	parts[0] = f->rule_id;
	parts[1] = f->env ? f->env : "";
	parts[2] = f->file ? f->file : "";
	parts[3] = f->key ? f->key : (f->message ? f->message : "");
	if ((error = platci_sha256_reset(h)) < 0)
		return error;
	/* NUL separators keep ("ab","c") and ("a","bc") apart. */
	for (size_t i = 0; i < 4 && !error; i++)
		error = platci_sha256_update(h, parts[i], strlen(parts[i]) + 1);
	if (!error)
		error = platci_sha256_final_hex(hex, h);
	return error;
}

int platci_finding_fingerprint(char hex[PLATCI_SHA256_HEX_SIZE], const platci_finding *f)
{
	platci_sha256 *h = NULL;
	int error;

	if ((error = platci_sha256_new(&h)) == 0)
		error = platci_findings__fingerprint(h, hex, f);
	platci_sha256_free(h);
	return error;
}

int platci_findings_add(platci_findings *list, const platci_finding *f)
{
	platci_finding c;
	int failed = 0, error;

	PLATCI_ASSERT_ARG(list && f);
	if (!f->rule_id || !f->message)
		return PLATCI_EINVALID;
	if ((error = platci__grow_array((void **)&list->items, &list->alloc, list->count + 1,
		     sizeof(*list->items))) < 0)
		return error;
	c = *f;
	if (!c.fingerprint[0] && (error = platci_finding_fingerprint(c.fingerprint, f)) < 0)
		return error;
	c.rule_id = copy(list, f->rule_id, &failed);
	c.message = copy(list, f->message, &failed);
	c.file = copy(list, f->file, &failed);
	c.env = copy(list, f->env, &failed);
	c.key = copy(list, f->key, &failed);
	c.waiver = copy(list, f->waiver, &failed);
	c.details = copy(list, f->details, &failed);
	if (failed)
		return PLATCI_ENOMEM;
	list->items[list->count++] = c;
	return 0;
}

size_t platci_findings_count(const platci_findings *list)
{
	return list ? list->count : 0;
}

const platci_finding *platci_findings_at(const platci_findings *list, size_t i)
{
	return list && i < list->count ? &list->items[i] : NULL;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const platci_finding *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->env, b->env)) != 0)
		return c;
	if ((c = cmp_str(a->file, b->file)) != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((c = strcmp(a->rule_id, b->rule_id)) != 0)
		return c;
	if ((c = strcmp(a->message, b->message)) != 0)
		return c;
	return strcmp(a->fingerprint, b->fingerprint);
}

void platci_findings_sort(platci_findings *list)
{
	if (list && list->count > 1)
		qsort(list->items, list->count, sizeof(*list->items), cmp_finding);
}

int platci_findings_waive(platci_findings *list, size_t i, const char *waiver)
{
	const char *c;

	PLATCI_ASSERT_ARG(list && i < list->count && waiver);
	if (!(c = platci_arena_strdup(&list->strings, waiver)))
		return PLATCI_ENOMEM;
	list->items[i].waiver = c;
	return 0;
}

void platci_findings_count_by(const platci_findings *list, platci_findings_counts *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; list && i < list->count; i++) {
		const platci_finding *f = &list->items[i];
		out->total++;
		if (f->waiver) {
			out->waived++;
			continue;
		}
		if (f->enforcement == PLATCI_ENFORCE_DENY)
			out->deny++;
		else
			out->warn++;
		if ((unsigned)f->severity < 5)
			out->by_severity[f->severity]++;
	}
}

int platci_findings_has_deny(const platci_findings *list)
{
	for (size_t i = 0; list && i < list->count; i++)
		if (!list->items[i].waiver && list->items[i].enforcement == PLATCI_ENFORCE_DENY)
			return 1;
	return 0;
}

const char *platci_severity_name(platci_severity s)
{
	return (unsigned)s < 5 ? severity_names[s] : NULL;
}

int platci_severity_parse(platci_severity *out, const char *name)
{
	for (int i = 0; i < 5; i++) {
		if (name && strcasecmp(name, severity_names[i]) == 0) {
			*out = (platci_severity)i;
			return 0;
		}
	}
	return PLATCI_EINVALID;
}
