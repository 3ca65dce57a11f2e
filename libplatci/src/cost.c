/* Infracost's JSON output, read for one environment (platci/cost.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/cost.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_cost {
	json_t *doc;
	platci_cost_totals totals;
};

static int bad(platci_diag *diag, const char *path, const char *what)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, path, 0, 0, 0, NULL, NULL };

	platci_diag_add(diag, &e, "Infracost JSON: %s", what);
	return PLATCI_EDATA;
}

/* A cost: a decimal string, a number, or null (not priced). 1 read, 0 null, -1 wrong. */
static int money(double *out, const json_t *v)
{
	const char *s = json_string_value(v);
	char *end = NULL;

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 1;
	}
	if (!s || !*s)
		return -1;
	*out = strtod(s, &end);
	return *end ? -1 : 1;
}

/* The project for @p env: its name or its path names the environment. */
static const json_t *project_for(const json_t *projects, const char *env)
{
	const json_t *p, *hit = NULL;
	size_t i;

	if (!env)
		return NULL;
	json_array_foreach ((json_t *)(uintptr_t)projects, i, p) {
		const char *name = platci_json_str(p, "name");
		const char *path = platci_json_str(json_object_get(p, "metadata"), "path");
		if ((name && strstr(name, env)) || (path && strstr(path, env))) {
			if (hit)
				return NULL; /* two projects name it: the root totals are the honest answer */
			hit = p;
		}
	}
	return hit;
}

static int read_totals(platci_cost *c, const char *env, const char *path, platci_diag *diag)
{
	const json_t *doc = c->doc, *projects = json_object_get(doc, "projects"), *p;
	const json_t *now, *past, *diff;
	double d;
	int k;

	if (!json_is_object(doc) || !json_is_array(projects) || !platci_json_str(doc, "currency"))
		return bad(diag, path,
			"needs \"currency\" and \"projects\" (the output of "
			"infracost breakdown --format json or infracost diff --format json)");
	c->totals.currency = platci_json_str(doc, "currency");
	if ((p = project_for(projects, env)) != NULL) {
		c->totals.project = platci_json_str(p, "name");
		now = json_object_get(json_object_get(p, "breakdown"), "totalMonthlyCost");
		past = json_object_get(json_object_get(p, "pastBreakdown"), "totalMonthlyCost");
		diff = json_object_get(json_object_get(p, "diff"), "totalMonthlyCost");
	} else {
		now = json_object_get(doc, "totalMonthlyCost");
		past = json_object_get(doc, "pastTotalMonthlyCost");
		diff = json_object_get(doc, "diffTotalMonthlyCost");
	}
	if ((k = money(&c->totals.monthly, now)) < 0 || money(&c->totals.past_monthly, past) < 0 ||
		money(&d, diff) < 0)
		return bad(diag, path, "a totalMonthlyCost is not a decimal number");
	c->totals.known = k > 0;
	/* a breakdown without a baseline has no diff: all of it is new */
	c->totals.diff_monthly =
		diff && !json_is_null(diff) ? d : c->totals.monthly - c->totals.past_monthly;
	return 0;
}

int platci_cost_load_file(platci_cost **out, const char *path, const char *env, platci_diag *diag)
{
	platci_cost *c = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	PLATCI_CHECK_ALLOC(c = calloc(1, sizeof(*c)));
	if ((error = platci_json_load_file(&c->doc, path, 64u * 1024 * 1024, diag)) < 0 ||
		(error = read_totals(c, env, path, diag)) < 0)
		goto done;
	*out = c;
	c = NULL;
done:
	platci_cost_free(c);
	return error;
}

void platci_cost_free(platci_cost *c)
{
	if (!c)
		return;
	json_decref(c->doc);
	free(c);
}

const platci_cost_totals *platci_cost_get_totals(const platci_cost *c)
{
	return c ? &c->totals : NULL;
}

int platci_cost_render_md(platci_buf *out, const platci_cost *c)
{
	const platci_cost_totals *t;

	PLATCI_ASSERT_ARG(out && c);
	t = &c->totals;
	platci_buf_puts(out, "**Cost** (Infracost");
	if (t->project)
		platci_buf_printf(out, ", project `%s`", t->project);
	platci_buf_puts(out, "): ");
	if (!t->known) {
		platci_buf_puts(out, "Infracost could not price this plan's total.\n\n");
		return out->error;
	}
	platci_buf_printf(out, "%.2f %s a month, %s%.2f %s from %.2f.\n\n", t->monthly, t->currency,
		t->diff_monthly < 0 ? "-" : "+",
		t->diff_monthly < 0 ? -t->diff_monthly : t->diff_monthly, t->currency, t->past_monthly);
	return out->error;
}
