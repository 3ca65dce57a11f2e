/* policies/drift.yaml: ignore rules for drift, each with an id, a reason and an expiry. */
#include <stdio.h>
#include <string.h>

#include "drift_internal.h"
#include "platci/doc.h"
#include "util/common.h"
#include "platci/clock.h"
#include "util/banned.h"

typedef struct drift_rule {
	char *id, *reason, *identity, *attribute, *category, *expires_text;
	char **envs;
	size_t nenvs;
	platci_drift_source source;
	time_t expires; /* first second after the rule's last valid moment */
	size_t line;
} drift_rule;

struct platci_drift_policy {
	char *file;
	drift_rule *rules;
	size_t count, alloc;
};

static const char *const rule_keys[] = { "id", "address", "attribute", "object", "pending",
	"category", "envs", "reason", "expires" };

size_t platci_drift_policy_count(const platci_drift_policy *p)
{
	return p ? p->count : 0;
}

static void rule_dispose(drift_rule *r)
{
	free(r->id);
	free(r->reason);
	free(r->identity);
	free(r->attribute);
	free(r->category);
	free(r->expires_text);
	for (size_t e = 0; e < r->nenvs; e++)
		free(r->envs[e]);
	free(r->envs);
}

void platci_drift_policy_free(platci_drift_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->count; i++)
		rule_dispose(&p->rules[i]);
	free(p->rules);
	free(p->file);
	free(p);
}

/* `YYYY-MM-DD` (valid through that whole UTC day) or `YYYY-MM-DDTHH:MM:SSZ`. */
static int parse_expiry(time_t *out, const char *s)
{
	unsigned y, mo, d, h = 0, mi = 0, se = 0;
	int n = 0;
	long long days;

	if (sscanf(s, "%4u-%2u-%2u%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970)
		return -1;
	days = platci_days_from_civil((int)y, (int)mo, (int)d);
	if (s[10] == '\0') {
		*out = (time_t)((days + 1) * 86400);
		return 0;
	}
	n = 0;
	if ((s[10] != 'T' && s[10] != ' ') ||
	    sscanf(s + 11, "%2u:%2u:%2u%n", &h, &mi, &se, &n) != 3 || n != 8 ||
	    strcmp(s + 19, "Z") != 0 || h > 23 || mi > 59 || se > 60)
		return -1;
	*out = (time_t)(days * 86400 + h * 3600 + mi * 60 + se + 1);
	return 0;
}

typedef struct loader {
	platci_drift_policy *p;
	const char *name;
	platci_diag *diag;
	int errors;
} loader;

static void problem(loader *l, const platci_node *n, const char *fmt, const char *arg)
	PLATCI_PRINTF(3, 0);

static void problem(loader *l, const platci_node *n, const char *fmt, const char *arg)
{
	platci_pos pos = platci_node_start(n);
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, l->name, pos.line, pos.column,
		pos.offset, NULL, NULL };
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
	/* Every caller passes a literal with at most one %s. */
	platci_diag_add(l->diag, &e, fmt, arg ? arg : "");
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
	l->errors++;
}

static int take_str(loader *l, const platci_node *rule, const char *key, char **out, int *oom)
{
	const platci_node *v = platci_node_get(rule, key);
	if (!v)
		return 0;
	if (platci_node_type_of(v) != PLATCI_NODE_SCALAR || platci_node_is_null(v)) {
		problem(l, v, "\"%s\" must be a non-empty string", key);
		return 0;
	}
	if (!(*out = platci__strdup(platci_node_scalar(v, NULL))))
		*oom = 1;
	return 1;
}

static int load_rule(loader *l, const platci_node *n)
{
	drift_rule r;
	const platci_node *envs;
	int oom = 0, kinds = 0, before = l->errors;

	memset(&r, 0, sizeof(r));
	r.line = platci_node_start(n).line;
	if (platci_node_type_of(n) != PLATCI_NODE_MAPPING) {
		problem(l, n, "an ignore rule must be a mapping%s", NULL);
		return 0;
	}
	for (size_t i = 0; i < platci_node_count(n); i++) {
		const platci_node *k = platci_node_key_at(n, i);
		const char *ks = platci_node_scalar(k, NULL);
		int known = 0;
		for (size_t j = 0; ks && j < PLATCI_ARRAY_SIZE(rule_keys); j++)
			known |= strcmp(ks, rule_keys[j]) == 0;
		if (!known)
			problem(l, k, "unknown key \"%s\" in an ignore rule (id, address, attribute, "
				"object, pending, category, envs, reason, expires)", ks);
	}
	take_str(l, n, "id", &r.id, &oom);
	take_str(l, n, "reason", &r.reason, &oom);
	take_str(l, n, "attribute", &r.attribute, &oom);
	take_str(l, n, "category", &r.category, &oom);
	take_str(l, n, "expires", &r.expires_text, &oom);
	if (take_str(l, n, "address", &r.identity, &oom)) {
		r.source = PLATCI_DRIFT_TERRAFORM;
		kinds++;
	}
	if (!r.identity && take_str(l, n, "object", &r.identity, &oom)) {
		r.source = PLATCI_DRIFT_FLUX;
		kinds++;
	} else if (platci_node_get(n, "object")) {
		kinds++;
	}
	if (!r.identity && take_str(l, n, "pending", &r.identity, &oom)) {
		r.source = PLATCI_DRIFT_PENDING;
		kinds++;
	} else if (platci_node_get(n, "pending")) {
		kinds++;
	}
	if (!r.id)
		problem(l, n, "an ignore rule needs an \"id\"%s", NULL);
	if (!r.reason)
		problem(l, n, "ignore rule %s needs a \"reason\": say why this drift is expected",
			r.id);
	if (!r.expires_text)
		problem(l, n, "ignore rule %s needs \"expires\" (YYYY-MM-DD): every waiver ends",
			r.id);
	else if (parse_expiry(&r.expires, r.expires_text) < 0)
		problem(l, platci_node_get(n, "expires"), "\"expires\" must be a date like "
			"2026-12-31 or 2026-12-31T18:00:00Z, not \"%s\"", r.expires_text);
	if (kinds != 1)
		problem(l, n, "ignore rule %s needs exactly one of \"address\" (Terraform), "
			"\"object\" (Flux Kind/namespace/name) or \"pending\"", r.id);
	if (r.attribute && r.source != PLATCI_DRIFT_TERRAFORM)
		problem(l, platci_node_get(n, "attribute"), "\"attribute\" only applies with "
			"\"address\"%s", NULL);
	if ((envs = platci_node_get(n, "envs")) != NULL) {
		if (platci_node_type_of(envs) != PLATCI_NODE_SEQUENCE) {
			problem(l, envs, "\"envs\" must be a list of environment name globs%s", NULL);
		} else if (platci_node_count(envs)) {
			r.envs = calloc(platci_node_count(envs), sizeof(char *));
			if (!r.envs)
				oom = 1;
			for (size_t i = 0; r.envs && i < platci_node_count(envs); i++) {
				const char *s = platci_node_scalar(platci_node_item(envs, i), NULL);
				if (!s) {
					problem(l, platci_node_item(envs, i), "\"envs\" items must be "
						"strings%s", NULL);
					continue;
				}
				if (!(r.envs[r.nenvs++] = platci__strdup(s)))
					oom = 1;
			}
		}
	}
	for (size_t i = 0; !oom && r.id && i < l->p->count; i++)
		if (strcmp(l->p->rules[i].id, r.id) == 0)
			problem(l, platci_node_get(n, "id"), "duplicate ignore rule id \"%s\"", r.id);
	if (!oom && l->errors == before &&
	    platci__grow_array((void **)&l->p->rules, &l->p->alloc, l->p->count + 1,
		    sizeof(*l->p->rules)) < 0)
		oom = 1;
	if (oom || l->errors != before) {
		rule_dispose(&r);
		return oom ? PLATCI_ENOMEM : 0;
	}
	l->p->rules[l->p->count++] = r;
	return 0;
}

static int load_doc(platci_drift_policy **out, platci_doc *doc, const char *name,
	platci_diag *diag)
{
	loader l;
	const platci_node *root, *ignore, *version;
	int error = 0;

	memset(&l, 0, sizeof(l));
	l.name = name;
	l.diag = diag;
	l.p = calloc(1, sizeof(*l.p));
	PLATCI_CHECK_ALLOC(l.p);
	PLATCI_CHECK_ALLOC(l.p->file = platci__strdup(name));
	if (platci_doc_count(doc) > 1) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, name, 1, 1, 0, NULL, NULL };
		platci_diag_add(diag, &e, "a drift policy holds exactly one YAML document");
		error = PLATCI_EDATA;
		goto done;
	}
	root = platci_doc_root(doc, 0);
	if (!root) /* an empty file: no rules */
		goto ok;
	if (platci_node_type_of(root) != PLATCI_NODE_MAPPING) {
		problem(&l, root, "a drift policy is a mapping with \"version\" and \"ignore\"%s",
			NULL);
		goto check;
	}
	for (size_t i = 0; i < platci_node_count(root); i++) {
		const platci_node *k = platci_node_key_at(root, i);
		if (!platci_node_is(k, "version") && !platci_node_is(k, "ignore"))
			problem(&l, k, "unknown key \"%s\" (version, ignore)",
				platci_node_scalar(k, NULL));
	}
	version = platci_node_get(root, "version");
	if (version && !platci_node_is(version, "1"))
		problem(&l, version, "unsupported drift policy version \"%s\" (1 expected)",
			platci_node_scalar(version, NULL));
	ignore = platci_node_get(root, "ignore");
	if (ignore && !platci_node_is_null(ignore)) {
		if (platci_node_type_of(ignore) != PLATCI_NODE_SEQUENCE)
			problem(&l, ignore, "\"ignore\" must be a list of rules%s", NULL);
		else
			for (size_t i = 0; i < platci_node_count(ignore); i++)
				if ((error = load_rule(&l, platci_node_item(ignore, i))) < 0)
					goto done;
	}
check:
	if (l.errors) {
		error = PLATCI_EDATA;
		goto done;
	}
ok:
	*out = l.p;
	l.p = NULL;
done:
	platci_drift_policy_free(l.p);
	return error;
}

int platci_drift_policy_load(platci_drift_policy **out, const char *path, platci_diag *diag)
{
	platci_doc *doc = NULL;
	int error;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = platci_doc_load_file(&doc, path, NULL, diag)) < 0)
		return error;
	error = load_doc(out, doc, path, diag);
	platci_doc_free(doc);
	return error;
}

int platci_drift_policy_load_buffer(platci_drift_policy **out, const char *name,
	const char *data, size_t len, platci_diag *diag)
{
	platci_doc *doc = NULL;
	int error;

	PLATCI_ASSERT_ARG(out && name && data);
	*out = NULL;
	if ((error = platci_doc_load_buffer(&doc, name, data, len, NULL, diag)) < 0)
		return error;
	error = load_doc(out, doc, name, diag);
	platci_doc_free(doc);
	return error;
}

static int env_matches(const drift_rule *r, const char *env)
{
	if (!r->nenvs)
		return 1;
	for (size_t i = 0; i < r->nenvs; i++)
		if (env && platci__glob_match(r->envs[i], env))
			return 1;
	return 0;
}

static int expired(const drift_rule *r, time_t now)
{
	return now != 0 && now >= r->expires;
}

const char *platci_drift__policy_match(const platci_drift_policy *p, const char *env, time_t now,
	platci_drift_source source, const char *identity, const char *category, const char *attr)
{
	for (size_t i = 0; p && identity && i < p->count; i++) {
		const drift_rule *r = &p->rules[i];
		if (r->source != source || expired(r, now) || !env_matches(r, env))
			continue;
		if (!platci__glob_match(r->identity, identity))
			continue;
		if (r->category && (!category || !platci__glob_match(r->category, category)))
			continue;
		/* A rule with an attribute silences paths; one without silences the whole item. */
		if ((attr == NULL) != (r->attribute == NULL))
			continue;
		if (attr && !platci__glob_match(r->attribute, attr))
			continue;
		return r->id;
	}
	return NULL;
}

size_t platci_drift__policy_expired(const platci_drift_policy *p, const char *env, time_t now,
	platci_findings *findings)
{
	size_t n = 0;

	for (size_t i = 0; p && i < p->count; i++) {
		const drift_rule *r = &p->rules[i];
		char msg[512];
		platci_finding f;

		if (!expired(r, now) || !env_matches(r, env))
			continue;
		n++;
		if (!findings)
			continue;
		memset(&f, 0, sizeof(f));
		snprintf(msg, sizeof(msg), "drift ignore rule %s expired on %s and no longer "
			"applies (%s): renew it with a new date or delete it", r->id, r->expires_text,
			r->reason);
		f.rule_id = "drift.ignore-expired";
		f.severity = PLATCI_SEVERITY_MINOR;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = msg;
		f.file = p->file;
		f.line = r->line;
		f.env = env;
		f.key = r->id;
		platci_findings_add(findings, &f);
	}
	return n;
}
