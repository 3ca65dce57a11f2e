/* policies/scan.yaml: per-environment thresholds, image overrides and waivers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scan_int.h"
#include "util/common.h"
#include "platci/clock.h"
#include "util/banned.h"

static const char *const statuses[SCAN_STATUS_COUNT] = {
	"unknown", "not_affected", "affected", "fixed", "under_investigation", "will_not_fix",
	"fix_deferred", "end_of_life"
};

unsigned int platci_scan_status_bit(const char *status)
{
	for (unsigned int i = 0; status && i < SCAN_STATUS_COUNT; i++)
		if (strcmp(status, statuses[i]) == 0)
			return 1u << i;
	return 0;
}

int scan_yaml_error(platci_diag *diag, const char *file, const platci_node *n, int code,
	const char *fmt, ...)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, file, 0, 0, 0, NULL, NULL };
	char msg[400];
	va_list ap;

	if (n) {
		platci_pos p = platci_node_start(n);
		e.line = p.line;
		e.column = p.column;
		e.offset = p.offset;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	platci_diag_add(diag, &e, "%s", msg);
	return code;
}

/* yyyy-mm-dd at 00:00 UTC. */
int scan_parse_date(time_t *out, const char *s)
{
	int y, m, d;
	char tail;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long long days;

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    s[4] != '-' || s[7] != '-' || y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return PLATCI_EINVALID;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return PLATCI_EINVALID;
	days = platci_days_from_civil(y, m, d);
	*out = (time_t)(days * 86400);
	return 0;
}

void scan_str_list_free(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}

/* A scalar or a sequence of scalars -> NULL-terminated list. */
int scan_str_list(char ***out, const platci_node *n, const char *file, const char *what,
	platci_diag *diag)
{
	size_t count;
	char **list;

	*out = NULL;
	if (!n || platci_node_is_null(n))
		return 0;
	count = platci_node_type_of(n) == PLATCI_NODE_SCALAR ? 1 : platci_node_count(n);
	if (platci_node_type_of(n) == PLATCI_NODE_MAPPING)
		return scan_yaml_error(diag, file, n, PLATCI_EDATA, "%s must be a list of strings",
			what);
	if (!(list = calloc(count + 1, sizeof(*list))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const platci_node *it = platci_node_type_of(n) == PLATCI_NODE_SCALAR ? n :
			platci_node_item(n, i);
		const char *v = platci_node_scalar(it, NULL);
		if (!v) {
			scan_str_list_free(list);
			return scan_yaml_error(diag, file, it, PLATCI_EDATA,
				"%s must be a list of strings", what);
		}
		if (!(list[i] = platci__strdup(v))) {
			scan_str_list_free(list);
			return PLATCI_ENOMEM;
		}
	}
	*out = list;
	return 0;
}

static int scalar_of(const char **out, const platci_node *n, const char *file, const char *what,
	platci_diag *diag)
{
	*out = platci_node_scalar(n, NULL);
	if (!*out || platci_node_is_null(n))
		return scan_yaml_error(diag, file, n, PLATCI_EDATA, "%s must be a string", what);
	return 0;
}

static int severity_of(int *out, const platci_node *n, const char *file, const char *what,
	int allow_never, platci_diag *diag)
{
	const char *v;
	platci_trivy_severity s;
	int error;

	if ((error = scalar_of(&v, n, file, what, diag)) < 0)
		return error;
	if (allow_never && (strcasecmp(v, "none") == 0 || strcasecmp(v, "never") == 0)) {
		*out = PLATCI_SCAN_NEVER;
		return 0;
	}
	if (platci_trivy_severity_parse(&s, v) < 0)
		return scan_yaml_error(diag, file, n, PLATCI_EDATA, "%s: unknown severity \"%s\" "
			"(one of unknown, low, medium, high, critical%s)", what, v,
			allow_never ? ", none" : "");
	*out = (int)s;
	return 0;
}

/* The rule keys shared by defaults, environments and image overrides. */
static int rules_key(scan_rules_set *r, const char *key, const platci_node *v, const char *file,
	platci_diag *diag, int *handled)
{
	const char *s;
	int error = 0;

	*handled = 1;
	if (strcmp(key, "fail_severity") == 0) {
		error = severity_of(&r->r.fail_severity, v, file, key, 1, diag);
		r->has_fail = 1;
	} else if (strcmp(key, "report_severity") == 0) {
		error = severity_of(&r->r.report_severity, v, file, key, 0, diag);
		r->has_report = 1;
	} else if (strcmp(key, "ignore_unfixed") == 0) {
		if ((error = scalar_of(&s, v, file, key, diag)) < 0)
			return error;
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
			return scan_yaml_error(diag, file, v, PLATCI_EDATA,
				"ignore_unfixed must be true or false");
		r->r.ignore_unfixed = strcmp(s, "true") == 0;
		r->has_unfixed = 1;
	} else if (strcmp(key, "ignore_statuses") == 0) {
		char **list = NULL;
		if ((error = scan_str_list(&list, v, file, key, diag)) < 0)
			return error;
		r->r.ignore_statuses = 0;
		for (char **p = list; p && *p; p++) {
			unsigned int bit = platci_scan_status_bit(*p);
			if (!bit) {
				error = scan_yaml_error(diag, file, v, PLATCI_EDATA, "unknown status "
					"\"%s\" (one of unknown, not_affected, affected, fixed, "
					"under_investigation, will_not_fix, fix_deferred, end_of_life)", *p);
				scan_str_list_free(list);
				return error;
			}
			r->r.ignore_statuses |= bit;
		}
		scan_str_list_free(list);
		r->has_statuses = 1;
	} else if (strcmp(key, "cvss_floor") == 0) {
		char *end;
		double d;
		if ((error = scalar_of(&s, v, file, key, diag)) < 0)
			return error;
		d = strtod(s, &end);
		if (*s == '\0' || *end || d < 0 || d > 10)
			return scan_yaml_error(diag, file, v, PLATCI_EDATA,
				"cvss_floor must be a number from 0 to 10");
		r->r.cvss_floor = d;
		r->has_cvss = 1;
	} else {
		*handled = 0;
	}
	return error;
}

static int parse_rules(scan_rules_set *r, const platci_node *m, const char *file,
	const char *const *extra, platci_diag *diag)
{
	int error, handled;

	if (platci_node_type_of(m) != PLATCI_NODE_MAPPING)
		return scan_yaml_error(diag, file, m, PLATCI_EDATA, "expected a mapping of rules");
	for (size_t i = 0; i < platci_node_count(m); i++) {
		const char *key = platci_node_scalar(platci_node_key_at(m, i), NULL);
		int known = 0;
		if (!key)
			return scan_yaml_error(diag, file, platci_node_key_at(m, i), PLATCI_EDATA,
				"keys must be strings");
		if ((error = rules_key(r, key, platci_node_value_at(m, i), file, diag, &handled)) < 0)
			return error;
		for (size_t k = 0; extra && extra[k]; k++)
			if (strcmp(extra[k], key) == 0)
				known = 1;
		if (!handled && !known)
			return scan_yaml_error(diag, file, platci_node_key_at(m, i), PLATCI_EDATA,
				"unknown key \"%s\" (expected fail_severity, report_severity, "
				"ignore_unfixed, ignore_statuses, cvss_floor)", key);
	}
	return 0;
}

static void layer(platci_scan_rules *out, const scan_rules_set *r)
{
	if (r->has_fail)
		out->fail_severity = r->r.fail_severity;
	if (r->has_report)
		out->report_severity = r->r.report_severity;
	if (r->has_unfixed)
		out->ignore_unfixed = r->r.ignore_unfixed;
	if (r->has_statuses)
		out->ignore_statuses = r->r.ignore_statuses;
	if (r->has_cvss)
		out->cvss_floor = r->r.cvss_floor;
}

static int in_list(char **list, const char *s)
{
	if (!list)
		return 1;
	for (; *list; list++)
		if (s && strcmp(*list, s) == 0)
			return 1;
	return 0;
}

int platci_scan_policy_rules(platci_scan_rules *out, const platci_scan_policy *p,
	const char *env, const char *image)
{
	PLATCI_ASSERT_ARG(out && p);
	memset(out, 0, sizeof(*out));
	out->fail_severity = PLATCI_SCAN_NEVER;
	out->report_severity = PLATCI_TRIVY_UNKNOWN;
	layer(out, &p->defaults);
	for (size_t i = 0; env && i < p->nenvs; i++)
		if (strcmp(p->env_names[i], env) == 0)
			layer(out, &p->env_rules[i]);
	for (size_t i = 0; image && i < p->noverrides; i++) {
		const scan_override *o = &p->overrides[i];
		if ((!o->envs || (env && in_list(o->envs, env))) &&
		    platci__glob_match(o->match, image))
			layer(out, &o->rules);
	}
	return 0;
}

int platci_scan_policy_has_env(const platci_scan_policy *p, const char *env)
{
	for (size_t i = 0; p && env && i < p->nenvs; i++)
		if (strcmp(p->env_names[i], env) == 0)
			return 1;
	return 0;
}

void platci_scan_policy_free(platci_scan_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nenvs; i++)
		free(p->env_names[i]);
	free(p->env_names);
	free(p->env_rules);
	for (size_t i = 0; i < p->noverrides; i++) {
		free(p->overrides[i].match);
		scan_str_list_free(p->overrides[i].envs);
	}
	free(p->overrides);
	for (size_t i = 0; i < p->nwaivers; i++)
		scan_waiver_dispose(&p->waivers[i]);
	free(p->waivers);
	free(p->path);
	free(p);
}

int platci_scan_policy_default(platci_scan_policy **out)
{
	PLATCI_ASSERT_ARG(out);
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : PLATCI_ENOMEM;
}

/* platci's own waiver: id, reason, owner and expires are required. */
int scan_parse_waiver_platci(scan_waiver *w, const char *file, const platci_node *n,
	platci_diag *diag)
{
	static const char *const keys[] = { "id", "image", "package", "environments", "reason",
		"owner", "expires", "kinds", NULL };
	int error = 0;

	memset(w, 0, sizeof(*w));
	w->format = WAIVER_PLATCI;
	w->kinds = 0xf;
	w->line = platci_node_start(n).line;
	if (!(w->source = platci__strdup(file)))
		return PLATCI_ENOMEM;
	if (platci_node_type_of(n) != PLATCI_NODE_MAPPING)
		return scan_yaml_error(diag, file, n, PLATCI_EDATA, "a waiver must be a mapping");
	for (size_t i = 0; i < platci_node_count(n); i++) {
		const platci_node *k = platci_node_key_at(n, i), *v = platci_node_value_at(n, i);
		const char *key = platci_node_scalar(k, NULL), *s = NULL;
		char **target = NULL;
		int known = 0;

		for (size_t j = 0; key && keys[j]; j++)
			known |= strcmp(keys[j], key) == 0;
		if (!known)
			return scan_yaml_error(diag, file, k, PLATCI_EDATA, "unknown waiver key \"%s\" "
				"(expected id, image, package, environments, reason, owner, expires)",
				key ? key : "?");
		if (strcmp(key, "environments") == 0) {
			if ((error = scan_str_list(&w->envs, v, file, key, diag)) < 0)
				return error;
			continue;
		}
		if (strcmp(key, "kinds") == 0) {
			char **list = NULL;
			if ((error = scan_str_list(&list, v, file, key, diag)) < 0)
				return error;
			w->kinds = 0;
			for (char **p = list; p && *p; p++) {
				int found = 0;
				for (int kk = 0; kk < PLATCI_TRIVY_KINDS; kk++)
					if (strcmp(*p, platci_trivy_kind_name((platci_trivy_kind)kk)) == 0) {
						w->kinds |= 1u << kk;
						found = 1;
					}
				if (!found) {
					error = scan_yaml_error(diag, file, v, PLATCI_EDATA, "unknown kind "
						"\"%s\" (vulnerability, misconfiguration, secret, license)", *p);
					scan_str_list_free(list);
					return error;
				}
			}
			scan_str_list_free(list);
			continue;
		}
		if ((error = scalar_of(&s, v, file, key, diag)) < 0)
			return error;
		if (strcmp(key, "id") == 0)
			target = &w->id;
		else if (strcmp(key, "image") == 0)
			target = &w->image;
		else if (strcmp(key, "package") == 0)
			target = &w->package;
		else if (strcmp(key, "reason") == 0)
			target = &w->reason;
		else if (strcmp(key, "owner") == 0)
			target = &w->owner;
		else {
			if (scan_parse_date(&w->expires, s) < 0)
				return scan_yaml_error(diag, file, v, PLATCI_EDATA,
					"expires must be a date yyyy-mm-dd, not \"%s\"", s);
			target = &w->expires_text;
		}
		free(*target);
		if (!(*target = platci__strdup(s)))
			return PLATCI_ENOMEM;
	}
	if (!w->id || !w->reason || !w->owner || !w->expires_text)
		return scan_yaml_error(diag, file, n, PLATCI_EDATA, "a waiver needs id, reason, owner "
			"and expires (missing %s)", !w->id ? "id" : !w->reason ? "reason" :
			!w->owner ? "owner" : "expires");
	return 0;
}

static int parse_envs(platci_scan_policy *p, const platci_node *m, platci_diag *diag)
{
	size_t n = platci_node_count(m);
	int error;

	if (platci_node_type_of(m) != PLATCI_NODE_MAPPING)
		return scan_yaml_error(diag, p->path, m, PLATCI_EDATA,
			"environments must be a mapping of environment name to rules");
	if (!(p->env_names = calloc(n + 1, sizeof(*p->env_names))) ||
	    !(p->env_rules = calloc(n + 1, sizeof(*p->env_rules))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *name = platci_node_scalar(platci_node_key_at(m, i), NULL);
		if (!name)
			return scan_yaml_error(diag, p->path, platci_node_key_at(m, i), PLATCI_EDATA,
				"environment names must be strings");
		if (!(p->env_names[i] = platci__strdup(name)))
			return PLATCI_ENOMEM;
		p->nenvs++;
		if ((error = parse_rules(&p->env_rules[i], platci_node_value_at(m, i), p->path, NULL,
			     diag)) < 0)
			return error;
	}
	return 0;
}

static int parse_overrides(platci_scan_policy *p, const platci_node *seq, platci_diag *diag)
{
	static const char *const extra[] = { "match", "environments", NULL };
	size_t n = platci_node_count(seq);
	int error;

	if (platci_node_type_of(seq) != PLATCI_NODE_SEQUENCE)
		return scan_yaml_error(diag, p->path, seq, PLATCI_EDATA,
			"images must be a list of overrides");
	if (!(p->overrides = calloc(n + 1, sizeof(*p->overrides))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const platci_node *it = platci_node_item(seq, i);
		scan_override *o = &p->overrides[i];
		const char *match = platci_node_get_str(it, "match");
		p->noverrides++;
		if ((error = parse_rules(&o->rules, it, p->path, extra, diag)) < 0)
			return error;
		if (!match || !*match)
			return scan_yaml_error(diag, p->path, it, PLATCI_EDATA,
				"an image override needs match: an image glob");
		if (!(o->match = platci__strdup(match)))
			return PLATCI_ENOMEM;
		if ((error = scan_str_list(&o->envs, platci_node_get(it, "environments"), p->path,
			     "environments", diag)) < 0)
			return error;
	}
	return 0;
}

static int parse_waivers(platci_scan_policy *p, const platci_node *seq, platci_diag *diag)
{
	size_t n = platci_node_count(seq);
	int error;

	if (platci_node_type_of(seq) != PLATCI_NODE_SEQUENCE)
		return scan_yaml_error(diag, p->path, seq, PLATCI_EDATA, "waivers must be a list");
	if (!(p->waivers = calloc(n + 1, sizeof(*p->waivers))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p->nwaivers++;
		if ((error = scan_parse_waiver_platci(&p->waivers[i], p->path,
			     platci_node_item(seq, i), diag)) < 0)
			return error;
	}
	return 0;
}

int platci_scan_policy_load(platci_scan_policy **out, const char *path, platci_diag *diag)
{
	platci_scan_policy *p = NULL;
	platci_doc *doc = NULL;
	const platci_node *root;
	int error = 0;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = platci_doc_load_file(&doc, path, NULL, diag)) < 0)
		goto done;
	PLATCI_CHECK_ALLOC(p = calloc(1, sizeof(*p)));
	PLATCI_CHECK_ALLOC(p->path = platci__strdup(path));
	root = platci_doc_root(doc, 0);
	if (!root || platci_node_type_of(root) != PLATCI_NODE_MAPPING) {
		error = scan_yaml_error(diag, path, root, PLATCI_EDATA,
			"the scan policy must be a mapping with version: 1");
		goto done;
	}
	for (size_t i = 0; i < platci_node_count(root); i++) {
		const platci_node *k = platci_node_key_at(root, i), *v = platci_node_value_at(root, i);
		const char *key = platci_node_scalar(k, NULL);

		if (!key) {
			error = scan_yaml_error(diag, path, k, PLATCI_EDATA, "keys must be strings");
		} else if (strcmp(key, "version") == 0) {
			if (!platci_node_is(v, "1"))
				error = scan_yaml_error(diag, path, v, PLATCI_EVERSION,
					"unsupported scan policy version (platci reads version: 1)");
		} else if (strcmp(key, "defaults") == 0) {
			error = parse_rules(&p->defaults, v, path, NULL, diag);
		} else if (strcmp(key, "environments") == 0) {
			error = parse_envs(p, v, diag);
		} else if (strcmp(key, "images") == 0) {
			error = parse_overrides(p, v, diag);
		} else if (strcmp(key, "waivers") == 0) {
			error = parse_waivers(p, v, diag);
		} else {
			error = scan_yaml_error(diag, path, k, PLATCI_EDATA, "unknown key \"%s\" "
				"(expected version, defaults, environments, images, waivers)", key);
		}
		if (error < 0)
			goto done;
	}
	if (!platci_node_get(root, "version")) {
		error = scan_yaml_error(diag, path, root, PLATCI_EDATA,
			"the scan policy needs version: 1");
		goto done;
	}
	*out = p;
	p = NULL;
done:
	platci_scan_policy_free(p);
	platci_doc_free(doc);
	return error;
}
