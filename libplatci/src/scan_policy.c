/* policies/scan.yaml: per-environment thresholds, image overrides and waivers (rulefile.h). */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "scan_int.h"
#include "util/common.h"
#include "util/banned.h"

static const char *const statuses[SCAN_STATUS_COUNT + 1] = { "unknown", "not_affected", "affected",
	"fixed", "under_investigation", "will_not_fix", "fix_deferred", "end_of_life", NULL };

unsigned int platci_scan_status_bit(const char *status)
{
	for (unsigned int i = 0; status && i < SCAN_STATUS_COUNT; i++)
		if (strcmp(status, statuses[i]) == 0)
			return 1u << i;
	return 0;
}

static void severity(rf_ctx *c, const rf_key *k, const platci_node *n, int *out, int allow_never)
{
	const char *v = platci_node_scalar(n, NULL);
	platci_trivy_severity sev;

	if (v && allow_never && (strcasecmp(v, "none") == 0 || strcasecmp(v, "never") == 0))
		*out = PLATCI_SCAN_NEVER;
	else if (v && platci_trivy_severity_parse(&sev, v) == 0)
		*out = (int)sev;
	else
		platci_rulefile__error(c, n,
			"%s: unknown severity \"%s\" (one of unknown, low, "
			"medium, high, critical%s)",
			k->name, v ? v : "?", allow_never ? ", none" : "");
}

static void fail_severity(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	scan_rules_set *r = dst;

	severity(c, k, n, &r->r.fail_severity, 1);
	r->has_fail = 1;
}

static void report_severity(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	scan_rules_set *r = dst;

	severity(c, k, n, &r->r.report_severity, 0);
	r->has_report = 1;
}

static void ignore_statuses(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	scan_rules_set *r = dst;
	int seq = platci_node_type_of(n) == PLATCI_NODE_SEQUENCE;

	r->has_statuses = 1;
	r->r.ignore_statuses = 0;
	for (size_t i = 0; i < (seq ? platci_node_count(n) : 1); i++) {
		const platci_node *it = seq ? platci_node_item_at(n, i) : n;
		const char *name = platci_node_scalar(it, NULL), *near;
		unsigned int bit = platci_scan_status_bit(name);
		if (bit) {
			r->r.ignore_statuses |= bit;
			continue;
		}
		near = name ? platci_rulefile__suggest(name, statuses, SCAN_STATUS_COUNT) : NULL;
		platci_rulefile__error(c, it,
			"%s: unknown status \"%s\"%s%s%s (one of unknown, "
			"not_affected, affected, fixed, under_investigation, will_not_fix, fix_deferred, "
			"end_of_life)",
			k->name, name ? name : "?", near ? "; did you mean \"" : "",
			near ? near : "", near ? "\"?" : "");
	}
}

static void rules_init(void *obj)
{
	scan_rules_set *r = obj;

	memset(r, 0, sizeof(*r));
	r->r.ignore_unfixed = -1;
	r->r.cvss_floor = -1;
}

/*
 * The rule keys shared by defaults, environments and image overrides. The
 * custom rows have offset 0: their parsers get the whole set, to mark what
 * is set.
 */
static const rf_key rules_keys[] = {
	{ .name = "fail_severity", .type = RF_CUSTOM, .parse = fail_severity },
	{ .name = "report_severity", .type = RF_CUSTOM, .parse = report_severity },
	{ RF_KEY("ignore_unfixed", RF_BOOL, 0, scan_rules_set, r.ignore_unfixed) },
	{ .name = "ignore_statuses", .type = RF_CUSTOM, .parse = ignore_statuses },
	{ RF_KEY("cvss_floor", RF_NUM, 0, scan_rules_set, r.cvss_floor), .max = 10 },
};
static const rf_table rules_table = RF_TABLE("scan rules", rules_keys, scan_rules_set, rules_init, NULL);

static void env_init(void *obj)
{
	rules_init(&((scan_env *)obj)->rules);
}

static const rf_key env_keys[] = {
	{ .name = NULL, .type = RF_MAPKEY, .offset = offsetof(scan_env, name) },
	{ RF_KEY(NULL, RF_EMBED, 0, scan_env, rules), .table = &rules_table },
};
static const rf_table env_table =
	RF_TABLE("an environment's scan rules", env_keys, scan_env, env_init, NULL);

static void override_init(void *obj)
{
	rules_init(&((scan_override *)obj)->rules);
}

static const rf_key override_keys[] = {
	{ RF_KEY("match", RF_STR, RF_REQUIRED | RF_NONEMPTY, scan_override, match) },
	{ RF_KEY("environments", RF_ENVS, 0, scan_override, envs) },
	{ RF_KEY(NULL, RF_EMBED, 0, scan_override, rules), .table = &rules_table },
};
static const rf_table override_table =
	RF_TABLE("an image override", override_keys, scan_override, override_init, NULL);

static const rf_key root_keys[] = {
	{ .name = "version", .type = RF_VERSION, .flags = RF_REQUIRED },
	{ RF_KEY("defaults", RF_MAP, 0, platci_scan_policy, defaults), .table = &rules_table },
	{ RF_KEY("environments", RF_ENV_MAP, 0, platci_scan_policy, envs), .table = &env_table },
	{ RF_KEY("images", RF_LIST, 0, platci_scan_policy, overrides), .table = &override_table },
	{ RF_KEY("waivers", RF_LIST, 0, platci_scan_policy, waiver_list), .table = &platci_scan__waiver_table },
};
static const rf_table root_table = RF_TABLE("the scan policy", root_keys, platci_scan_policy, NULL, NULL);

static void layer(platci_scan_rules *out, const scan_rules_set *r)
{
	if (r->has_fail)
		out->fail_severity = r->r.fail_severity;
	if (r->has_report)
		out->report_severity = r->r.report_severity;
	if (r->r.ignore_unfixed >= 0)
		out->ignore_unfixed = r->r.ignore_unfixed;
	if (r->has_statuses)
		out->ignore_statuses = r->r.ignore_statuses;
	if (r->r.cvss_floor >= 0)
		out->cvss_floor = r->r.cvss_floor;
}

static int in_list(const rf_strs *list, const char *s)
{
	if (!list->items)
		return 1;
	for (size_t i = 0; i < list->count; i++)
		if (s && strcmp(list->items[i], s) == 0)
			return 1;
	return 0;
}

int platci_scan_policy_rules(platci_scan_rules *out, const platci_scan_policy *p, const char *env,
	const char *image)
{
	const scan_env *envs = p ? p->envs.items : NULL;
	const scan_override *overrides = p ? p->overrides.items : NULL;

	PLATCI_ASSERT_ARG(out && p);
	memset(out, 0, sizeof(*out));
	out->fail_severity = PLATCI_SCAN_NEVER;
	out->report_severity = PLATCI_TRIVY_UNKNOWN;
	layer(out, &p->defaults);
	for (size_t i = 0; env && i < p->envs.count; i++)
		if (strcmp(envs[i].name, env) == 0)
			layer(out, &envs[i].rules);
	for (size_t i = 0; image && i < p->overrides.count; i++) {
		const scan_override *o = &overrides[i];
		if ((!o->envs.items || (env && in_list(&o->envs, env))) &&
			platci__glob_match(o->match, image))
			layer(out, &o->rules);
	}
	return 0;
}

int platci_scan_policy_has_env(const platci_scan_policy *p, const char *env)
{
	const scan_env *envs = p ? p->envs.items : NULL;

	for (size_t i = 0; p && env && i < p->envs.count; i++)
		if (strcmp(envs[i].name, env) == 0)
			return 1;
	return 0;
}

void platci_scan_policy_free(platci_scan_policy *p)
{
	if (!p)
		return;
	platci_arena_dispose(&p->arena);
	platci_doc_free(p->doc);
	free(p);
}

static int policy_new(platci_scan_policy **out, const char *path, const platci_config *cfg)
{
	platci_scan_policy *p = calloc(1, sizeof(*p));
	rf_ctx c;

	*out = p;
	if (!p)
		return PLATCI_ENOMEM;
	platci_arena_init(&p->arena, 4096);
	rules_init(&p->defaults);
	/* waiver files added to a scan later are checked against the same names and zone */
	platci_rulefile__init(&c, path, cfg, &p->arena, NULL);
	p->env_names = c.envs;
	p->nenv_names = c.nenvs;
	p->zone = c.zone;
	if (c.oom || !(p->path = platci_arena_strdup(&p->arena, path ? path : "(defaults)")))
		return PLATCI_ENOMEM;
	return 0;
}

int platci_scan_policy_default(platci_scan_policy **out)
{
	int error;

	PLATCI_ASSERT_ARG(out);
	if ((error = policy_new(out, NULL, NULL)) < 0) {
		platci_scan_policy_free(*out);
		*out = NULL;
	}
	return error;
}

int platci_scan_policy_load(platci_scan_policy **out, const char *path, const platci_config *cfg,
	platci_diag *diag)
{
	platci_scan_policy *p = NULL;
	const platci_node *root;
	rf_ctx c;
	int error = 0;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = policy_new(&p, path, cfg)) < 0 ||
		(error = platci_doc_load_file(&p->doc, path, NULL, diag)) < 0)
		goto done;
	platci_rulefile__init(&c, p->path, cfg, &p->arena, diag);
	if ((error = platci_rulefile__root(&c, p->doc, &root)) < 0)
		goto done;
	if (!root)
		platci_rulefile__error(&c, NULL, "the scan policy is empty: it needs version: 1");
	else
		platci_rulefile__walk(&c, root, &root_table, p);
	if ((error = platci_rulefile__status(&c)) < 0)
		goto done;
	p->waivers = p->waiver_list.items;
	p->nwaivers = p->waiver_list.count;
	*out = p;
	p = NULL;
done:
	platci_scan_policy_free(p);
	return error;
}
