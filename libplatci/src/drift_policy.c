/* policies/drift.yaml: ignore rules for drift, each a waiver (waiver.h) with an id. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "drift_internal.h"
#include "platci/fs.h"
#include "waiver.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct drift_rule {
	waiver_base w;
	const char *id, *attribute, *category;
	const char *address, *object, *pending; /* exactly one is given */
	const char *identity; /* that one */
	platci_drift_source source;
	rf_strs envs;
} drift_rule;

struct platci_drift_policy {
	platci_doc *doc; /* the strings are the document's */
	platci_arena arena;
	const char *file;
	rf_list list; /* of drift_rule */
	const drift_rule *rules;
	size_t count;
};

size_t platci_drift_policy_count(const platci_drift_policy *p)
{
	return p ? p->count : 0;
}

void platci_drift_policy_free(platci_drift_policy *p)
{
	if (!p)
		return;
	platci_arena_dispose(&p->arena);
	platci_doc_free(p->doc);
	free(p);
}

static void rule_check(rf_ctx *c, const platci_node *map, void *obj)
{
	drift_rule *r = obj;
	int kinds = (r->address != NULL) + (r->object != NULL) + (r->pending != NULL);

	if (kinds != 1)
		platci_rulefile__error(c, map,
			"ignore rule %s needs exactly one of \"address\" "
			"(Terraform), \"object\" (Flux Kind/namespace/name) or \"pending\"",
			r->id);
	else if (r->attribute && !r->address)
		platci_rulefile__error(c, platci_node_get(map, "attribute"),
			"\"attribute\" only "
			"applies with \"address\"");
	r->source = r->address  ? PLATCI_DRIFT_TERRAFORM
		    : r->object ? PLATCI_DRIFT_FLUX
				: PLATCI_DRIFT_PENDING;
	r->identity = r->address ? r->address : r->object ? r->object : r->pending;
}

static const rf_key rule_keys[] = {
	{ RF_KEY("id", RF_STR, RF_REQUIRED | RF_NONEMPTY, drift_rule, id) },
	{ RF_KEY("address", RF_STR, RF_NONEMPTY, drift_rule, address) },
	{ RF_KEY("attribute", RF_STR, RF_NONEMPTY, drift_rule, attribute) },
	{ RF_KEY("object", RF_STR, RF_NONEMPTY, drift_rule, object) },
	{ RF_KEY("pending", RF_STR, RF_NONEMPTY, drift_rule, pending) },
	{ RF_KEY("category", RF_STR, RF_NONEMPTY, drift_rule, category) },
	{ RF_KEY("envs", RF_ENVS, 0, drift_rule, envs) },
	{ RF_KEY(NULL, RF_EMBED, 0, drift_rule, w), .table = &platci_waiver__table },
};
static const rf_table rule_table = RF_TABLE("an ignore rule", rule_keys, drift_rule, NULL, rule_check);

static const rf_key root_keys[] = {
	{ .name = "version", .type = RF_VERSION },
	{ RF_KEY("ignore", RF_LIST, 0, platci_drift_policy, list), .table = &rule_table },
};
static const rf_table root_table = RF_TABLE("a drift policy", root_keys, platci_drift_policy, NULL, NULL);

static int load_doc(platci_drift_policy *p, const platci_config *cfg, platci_diag *diag)
{
	const platci_node *root;
	rf_ctx c;
	int error;

	platci_rulefile__init(&c, p->file, cfg, &p->arena, diag);
	if ((error = platci_rulefile__root(&c, p->doc, &root)) < 0 || !root)
		return error; /* an empty file: no rules */
	platci_rulefile__walk(&c, root, &root_table, p);
	p->rules = p->list.items;
	p->count = p->list.count;
	for (size_t i = 0; !c.errors && i < p->count; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->rules[i].id, p->rules[j].id) == 0)
				platci_rulefile__error(&c, platci_node_get(p->rules[i].w.node, "id"),
					"duplicate ignore rule id \"%s\"", p->rules[i].id);
	return platci_rulefile__status(&c);
}

int platci_drift_policy_load_buffer(platci_drift_policy **out, const char *name, const char *data,
	size_t len, const platci_config *cfg, platci_diag *diag)
{
	platci_drift_policy *p = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(out && name && data);
	*out = NULL;
	PLATCI_CHECK_ALLOC(p = calloc(1, sizeof(*p)));
	platci_arena_init(&p->arena, 4096);
	PLATCI_CHECK_ALLOC(p->file = platci_arena_strdup(&p->arena, name));
	if ((error = platci_doc_load_buffer(&p->doc, name, data, len, NULL, diag)) < 0 ||
		(error = load_doc(p, cfg, diag)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	platci_drift_policy_free(p);
	return error;
}

int platci_drift_policy_load(platci_drift_policy **out, const char *path, const platci_config *cfg,
	platci_diag *diag)
{
	platci_buf data = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = platci_fs_read(&data, path, 16u * 1024 * 1024, diag)) == 0)
		error = platci_drift_policy_load_buffer(out, path, data.ptr, data.size, cfg, diag);
	platci_buf_dispose(&data);
	return error;
}

static int env_matches(const drift_rule *r, const char *env)
{
	if (!r->envs.count)
		return 1;
	for (size_t i = 0; i < r->envs.count; i++)
		if (env && platci__glob_match(r->envs.items[i], env))
			return 1;
	return 0;
}

/* now 0: no clock was given, so nothing has expired */
static int expired(const drift_rule *r, time_t now)
{
	return now != 0 && platci_waiver__expired(&r->w, now);
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
	/* drift does not count what each rule silenced, so it judges expiry only */
	static const waiver_rules rules = { NULL, "drift.ignore-expired", NULL, NULL, 0 };
	char label[300];
	size_t n = 0;

	for (size_t i = 0; p && i < p->count; i++) {
		const drift_rule *r = &p->rules[i];

		if (!expired(r, now) || !env_matches(r, env))
			continue;
		n++;
		snprintf(label, sizeof(label), "drift ignore rule %s (%s)", r->id, r->w.reason);
		if (findings)
			platci_waiver__report(&r->w, &rules, label, r->id, env, now, findings);
	}
	return n;
}
