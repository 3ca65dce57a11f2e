/*
 * .gitlab-ci.yml checks: every job's stage is declared, every needs,
 * dependencies and extends target exists, local includes exist. When the
 * pipeline includes anything non-local (project, remote, template,
 * component), targets may live there, so only local includes are checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platci/doc.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_FILES 64

typedef struct ci_ctx {
	const platci_config *cfg;
	platci_findings *out;
	platci_doc *docs[MAX_FILES];
	size_t ndocs;
	int remote_includes;
	int interpolated; /* a followed component names jobs with $[[ inputs ]]: targets unknowable */
	const platci_node *stages; /* last declaration wins */
} ci_ctx;

static int is_reserved(const char *k)
{
	static const char *const r[] = { "default", "include", "stages", "variables", "workflow",
		"image", "services", "cache", "before_script", "after_script", "types", "spec",
		"pages:deploy", NULL };
	for (size_t i = 0; r[i]; i++)
		if (strcmp(k, r[i]) == 0)
			return 1;
	return 0;
}

static int load(ci_ctx *c, const char *rel, const char *from, const platci_node *at);

/* A component of this very project ($CI_SERVER_FQDN/$CI_PROJECT_PATH/NAME@REF, GitLab's way to
 * test components where they live) is the local file templates/NAME.yml or
 * templates/NAME/template.yml, so it is followed like a local include. */
static int own_component(ci_ctx *c, const char *file, const platci_node *one, const char *addr)
{
	static const char *const prefixes[] = { "$CI_SERVER_FQDN/$CI_PROJECT_PATH/",
		"${CI_SERVER_FQDN}/${CI_PROJECT_PATH}/" };
	platci_buf rel = PLATCI_BUF_INIT, full = PLATCI_BUF_INIT;
	const char *name = NULL, *at;
	int error;

	for (size_t i = 0; !name && i < PLATCI_ARRAY_SIZE(prefixes); i++)
		if (strncmp(addr, prefixes[i], strlen(prefixes[i])) == 0)
			name = addr + strlen(prefixes[i]);
	if (!name || !(at = strchr(name, '@')) || at == name || memchr(name, '/', (size_t)(at - name)))
		return 1; /* not ours: the caller treats it as remote */
	platci_buf_printf(&rel, "templates/%.*s/template.yml", (int)(at - name), name);
	if (!rel.error && platci_path_on_disk(&full, platci_config_root(c->cfg), rel.ptr) == 0 &&
		!platci_fs_exists(full.ptr)) {
		platci_buf_clear(&rel);
		platci_buf_printf(&rel, "templates/%.*s.yml", (int)(at - name), name);
	}
	c->interpolated = 1;
	error = rel.error ? PLATCI_ENOMEM : load(c, rel.ptr, file, one);
	platci_buf_dispose(&rel);
	platci_buf_dispose(&full);
	return error;
}

static int includes(ci_ctx *c, const char *file, const platci_node *inc)
{
	int error = 0;
	if (!inc)
		return 0;
	if (platci_node_type_of(inc) == PLATCI_NODE_SCALAR ||
		platci_node_type_of(inc) == PLATCI_NODE_MAPPING) {
		const platci_node *one = inc;
		const char *s = platci_node_scalar(one, NULL),
			   *comp = platci_node_get_str(one, "component");
		if (!s)
			s = platci_node_get_str(one, "local");
		if (s && !strstr(s, "://"))
			return load(c, s, file, one);
		if (comp && (error = own_component(c, file, one, comp)) <= 0)
			return error;
		c->remote_includes = 1;
		return 0;
	}
	for (size_t i = 0; i < platci_node_count(inc) && !error; i++)
		error = includes(c, file, platci_node_item_at(inc, i));
	return error;
}

static int load(ci_ctx *c, const char *rel, const char *from, const platci_node *at)
{
	platci_buf norm = PLATCI_BUF_INIT, full = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	platci_doc *doc = NULL;
	const platci_node *root;
	int error = 0, rc;

	if (strchr(rel, '*')) { /* wildcard includes: not followed */
		c->remote_includes = 1;
		return 0;
	}
	while (*rel == '/')
		rel++;
	if (platci_path_normalize(&norm, rel) < 0) {
		error = platci_validate__find(c->out, "ci.missing-include", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, from, at ? platci_node_start(at).line : 0,
			at ? platci_node_start(at).column : 0, NULL, rel,
			"include \"%s\" leaves the repository", rel);
		goto done;
	}
	for (size_t i = 0; i < c->ndocs; i++)
		if (strcmp(platci_doc_name(c->docs[i]), norm.ptr) == 0)
			goto done; /* included twice or a cycle: GitLab rejects cycles, we just stop */
	if ((error = platci_path_on_disk(&full, platci_config_root(c->cfg), norm.ptr)) < 0)
		goto done;
	if (platci_diag_new(&diag) < 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if (!platci_fs_exists(full.ptr)) {
		if (from)
			error = platci_validate__find(c->out, "ci.missing-include", PLATCI_SEVERITY_MAJOR,
				PLATCI_ENFORCE_DENY, from, at ? platci_node_start(at).line : 0,
				at ? platci_node_start(at).column : 0, NULL, norm.ptr,
				"local include \"%s\" does not exist", norm.ptr);
		goto done;
	}
	if (c->ndocs >= MAX_FILES)
		goto done;
	{
		platci_buf data = PLATCI_BUF_INIT;
		rc = platci_fs_read(&data, full.ptr, 8u * 1024 * 1024, diag);
		if (rc == 0)
			rc = platci_doc_load_buffer(&doc, norm.ptr, data.ptr, data.size, NULL, diag);
		platci_buf_dispose(&data);
	}
	if (rc == PLATCI_ENOMEM) {
		error = rc;
		goto done;
	}
	if (rc < 0) {
		const platci_diag_entry *e = platci_diag_at(diag, 0);
		error = platci_validate__find(c->out, "ci.syntax", PLATCI_SEVERITY_BLOCKER,
			PLATCI_ENFORCE_DENY, norm.ptr, e ? e->line : 0, e ? e->column : 0, NULL,
			"ci.syntax", "%s", e ? e->message : "cannot read");
		goto done;
	}
	c->docs[c->ndocs++] = doc;
	root = platci_doc_root_at(doc, platci_doc_count(doc) > 1 ? 1 : 0); /* spec: header first */
	doc = NULL;
	if (!root || platci_node_type_of(root) != PLATCI_NODE_MAPPING)
		goto done;
	if (platci_node_get(root, "stages"))
		c->stages = platci_node_get(root, "stages");
	error = includes(c, norm.ptr, platci_node_get(root, "include"));
done:
	platci_doc_free(doc);
	platci_diag_free(diag);
	platci_buf_dispose(&norm);
	platci_buf_dispose(&full);
	return error;
}

static const platci_node *ci_root(const platci_doc *d)
{
	return platci_doc_root_at(d, platci_doc_count(d) > 1 ? 1 : 0);
}

static int job_exists(const ci_ctx *c, const char *name, int allow_hidden)
{
	if (!allow_hidden && name[0] == '.')
		return 0;
	for (size_t i = 0; i < c->ndocs; i++)
		if (platci_node_get(ci_root(c->docs[i]), name))
			return 1;
	return 0;
}

static int stage_declared(const ci_ctx *c, const char *stage)
{
	static const char *const defaults[] = { ".pre", "build", "test", "deploy", ".post" };
	if (strcmp(stage, ".pre") == 0 || strcmp(stage, ".post") == 0)
		return 1;
	if (!c->stages) {
		for (size_t i = 0; i < PLATCI_ARRAY_SIZE(defaults); i++)
			if (strcmp(stage, defaults[i]) == 0)
				return 1;
		return 0;
	}
	for (size_t i = 0; i < platci_node_count(c->stages); i++) {
		const platci_node *it = platci_node_item_at(c->stages, i);
		if (platci_node_is(it, stage))
			return 1;
		/* nested lists from !reference or YAML anchors */
		for (size_t j = 0; j < platci_node_count(it); j++)
			if (platci_node_is(platci_node_item_at(it, j), stage))
				return 1;
	}
	return 0;
}

static int target(ci_ctx *c, const char *file, const char *job, const platci_node *n,
	const char *what, int allow_hidden)
{
	const char *name = platci_node_scalar(n, NULL);
	platci_pos p = platci_node_start(n);
	char key[300];

	if (!name || job_exists(c, name, allow_hidden) || c->remote_includes || c->interpolated)
		return 0;
	snprintf(key, sizeof(key), "%s|%s|%s", job, what, name);
	return platci_validate__find(c->out, "ci.unknown-target", PLATCI_SEVERITY_MAJOR,
		PLATCI_ENFORCE_DENY, file, p.line, p.column, NULL, key, "job \"%s\": %s \"%s\" names no %s",
		job, what, name, allow_hidden ? "job or template" : "job");
}

static int check_job(ci_ctx *c, const char *file, const char *job, const platci_node *body)
{
	const platci_node *stage = platci_node_get(body, "stage"), *n;
	int error = 0;

	/* a stage from $[[ inputs.stage ]] is known only once GitLab interpolates it */
	if (job[0] != '.' && stage && platci_node_scalar(stage, NULL) && !c->remote_includes &&
		!strstr(platci_node_scalar(stage, NULL), "$[[") &&
		!stage_declared(c, platci_node_scalar(stage, NULL))) {
		platci_pos p = platci_node_start(stage);
		error = platci_validate__find(c->out, "ci.undeclared-stage", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, file, p.line, p.column, NULL, job,
			"job \"%s\" uses stage \"%s\", which is not in stages:", job,
			platci_node_scalar(stage, NULL));
	}
	if ((n = platci_node_get(body, "needs")) != NULL && platci_node_type_of(n) == PLATCI_NODE_SEQUENCE) {
		for (size_t i = 0; i < platci_node_count(n) && !error; i++) {
			const platci_node *it = platci_node_item_at(n, i);
			if (platci_node_type_of(it) == PLATCI_NODE_MAPPING) {
				if (platci_node_get(it, "pipeline") || platci_node_get(it, "project") ||
					platci_node_is(platci_node_get(it, "optional"), "true"))
					continue;
				it = platci_node_get(it, "job");
			}
			if (it)
				error = target(c, file, job, it, "needs", 0);
		}
	}
	if (!error && (n = platci_node_get(body, "dependencies")) != NULL)
		for (size_t i = 0; i < platci_node_count(n) && !error; i++)
			error = target(c, file, job, platci_node_item_at(n, i), "dependencies", 0);
	if (!error && (n = platci_node_get(body, "extends")) != NULL) {
		if (platci_node_type_of(n) == PLATCI_NODE_SCALAR)
			error = target(c, file, job, n, "extends", 1);
		for (size_t i = 0; i < platci_node_count(n) && !error; i++)
			error = target(c, file, job, platci_node_item_at(n, i), "extends", 1);
	}
	return error;
}

int platci_validate__ci(const platci_config *cfg, platci_findings *out)
{
	ci_ctx c;
	int error;

	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.out = out;
	if ((error = load(&c, ".gitlab-ci.yml", NULL, NULL)) < 0)
		goto done;
	for (size_t d = 0; d < c.ndocs && !error; d++) {
		const platci_node *root = ci_root(c.docs[d]);
		const char *file = platci_doc_name(c.docs[d]);
		for (size_t i = 0; i < platci_node_count(root) && !error; i++) {
			const char *k = platci_node_scalar(platci_node_key_at(root, i), NULL);
			const platci_node *v = platci_node_value_at(root, i);
			if (!k || is_reserved(k) || platci_node_type_of(v) != PLATCI_NODE_MAPPING)
				continue;
			error = check_job(&c, file, k, v);
		}
	}
done:
	for (size_t i = 0; i < c.ndocs; i++)
		platci_doc_free(c.docs[i]);
	return error;
}
