/* platci.yaml: loading and validation. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platci/config.h"
#include "platci/doc.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_config {
	platci_arena arena;
	char *path;
	char *root;
	platci_env *envs;
	size_t nenvs;
	platci_policy_paths policies;
	const char *gitops;
	const char *infra;
	const char **patterns; /* NULL-terminated */
	platci_enforcement existing; /* validate.existing */
};

typedef struct cfg_loader {
	platci_config *cfg;
	const platci_config_options *opts;
	platci_diag *diag;
	const char *file;
	size_t errors;
} cfg_loader;

static void cfg_error(cfg_loader *ld, const platci_node *at, const char *fmt, ...)
	PLATCI_PRINTF(3, 4);

static void cfg_error(cfg_loader *ld, const platci_node *at, const char *fmt, ...)
{
	platci_pos pos = platci_node_start(at);
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, ld->file, pos.line, pos.column,
		pos.offset, NULL, NULL };
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	platci_diag_add(ld->diag, &e, "%s", msg);
	ld->errors++;
}

int platci_config_options_init(platci_config_options *opts, unsigned int version)
{
	platci_config_options init = PLATCI_CONFIG_OPTIONS_INIT;

	if (version != PLATCI_CONFIG_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

static int key_allowed(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(key, *allowed) == 0)
			return 1;
	return 0;
}

static int check_mapping(cfg_loader *ld, const platci_node *n, const char *what,
	const char *const *allowed)
{
	if (platci_node_type_of(n) != PLATCI_NODE_MAPPING) {
		cfg_error(ld, n, "%s must be a mapping", what);
		return 0;
	}
	for (size_t i = 0; i < platci_node_count(n); i++) {
		const platci_node *k = platci_node_key_at(n, i);
		const char *key = platci_node_scalar(k, NULL);
		if (!key || !key_allowed(key, allowed))
			cfg_error(ld, k, "unknown key \"%s\" in %s", key ? key : "?", what);
	}
	return 1;
}

/* A string field; NULL when absent. Wrong types are errors. */
static const char *str_field(cfg_loader *ld, const platci_node *map, const char *key, int required,
	const char *what)
{
	const platci_node *v = platci_node_get(map, key);
	const char *s;

	if (!v) {
		if (required)
			cfg_error(ld, map, "%s needs \"%s\"", what, key);
		return NULL;
	}
	if (platci_node_type_of(v) != PLATCI_NODE_SCALAR || platci_node_is_null(v)) {
		cfg_error(ld, v, "\"%s\" in %s must be a string", key, what);
		return NULL;
	}
	s = platci_arena_strdup(&ld->cfg->arena, platci_node_scalar(v, NULL));
	return s;
}

/* A repo-relative path field: normalised, inside the root, and (unless told) existing. */
static const char *path_field(cfg_loader *ld, const platci_node *map, const char *key,
	int required, const char *what)
{
	const char *raw = str_field(ld, map, key, required, what);
	const platci_node *v = platci_node_get(map, key);
	platci_buf norm = PLATCI_BUF_INIT, full = PLATCI_BUF_INIT;
	const char *out = NULL;
	int rc;

	if (!raw)
		return NULL;
	rc = platci_path_normalize(&norm, raw);
	if (rc == PLATCI_EUNSAFE || (rc == 0 && platci_path_check_inside(ld->cfg->root, norm.ptr) ==
						    PLATCI_EUNSAFE)) {
		cfg_error(ld, v, "\"%s\" path \"%s\" leaves the repository", key, raw);
		goto done;
	}
	if (rc < 0) {
		cfg_error(ld, v, "\"%s\" path \"%s\" is not a valid path", key, raw);
		goto done;
	}
	platci_buf_printf(&full, "%s/%s", ld->cfg->root, norm.ptr);
	if (!ld->opts->skip_path_checks && !platci_fs_exists(full.ptr)) {
		cfg_error(ld, v, "\"%s\" path \"%s\" does not exist", key, raw);
		goto done;
	}
	out = platci_arena_strdup(&ld->cfg->arena, norm.ptr);
done:
	platci_buf_dispose(&norm);
	platci_buf_dispose(&full);
	return out;
}

static int valid_env_name(const char *s)
{
	if (!*s || strlen(s) > 63)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return s[0] != '-';
}

static void load_env(cfg_loader *ld, const platci_node *n, platci_env *env)
{
	static const char *const keys[] = { "name", "region", "infra", "cluster", "overlay",
		"promote_from", "protected", NULL };
	const platci_node *prot;

	memset(env, 0, sizeof(*env));
	env->line = platci_node_start(n).line;
	if (!check_mapping(ld, n, "an environment", keys))
		return;
	env->name = str_field(ld, n, "name", 1, "an environment");
	if (env->name && !valid_env_name(env->name))
		cfg_error(ld, platci_node_get(n, "name"),
			"environment name \"%s\" must be lower-case letters, digits and '-'", env->name);
	env->region = str_field(ld, n, "region", 0, "an environment");
	env->infra = path_field(ld, n, "infra", 1, "an environment");
	env->cluster = path_field(ld, n, "cluster", 1, "an environment");
	env->overlay = path_field(ld, n, "overlay", 0, "an environment");
	env->promote_from = str_field(ld, n, "promote_from", 0, "an environment");
	prot = platci_node_get(n, "protected");
	if (prot) {
		if (platci_node_is(prot, "true"))
			env->is_protected = 1;
		else if (!platci_node_is(prot, "false"))
			cfg_error(ld, prot, "\"protected\" must be true or false");
	}
}

static const platci_env *find_env(const platci_config *cfg, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (cfg->envs[i].name && strcmp(cfg->envs[i].name, name) == 0)
			return &cfg->envs[i];
	return NULL;
}

static void check_promotion_order(cfg_loader *ld, const platci_node *list)
{
	platci_config *cfg = ld->cfg;

	for (size_t i = 0; i < cfg->nenvs; i++) {
		const platci_env *e = &cfg->envs[i], *walk = e;
		const platci_node *at = platci_node_item(list, i);
		size_t steps = 0;

		if (!e->name)
			continue;
		if (find_env(cfg, i, e->name))
			cfg_error(ld, at, "environment \"%s\" is declared twice", e->name);
		if (!e->promote_from)
			continue;
		if (!find_env(cfg, cfg->nenvs, e->promote_from)) {
			cfg_error(ld, platci_node_get(at, "promote_from"),
				"promote_from \"%s\" names no environment", e->promote_from);
			continue;
		}
		while (walk && walk->promote_from && steps <= cfg->nenvs) {
			walk = find_env(cfg, cfg->nenvs, walk->promote_from);
			steps++;
			if (walk == e)
				break;
		}
		if (walk == e) {
			cfg_error(ld, platci_node_get(at, "promote_from"),
				"promote_from of \"%s\" forms a cycle", e->name);
			continue;
		}
		if (!find_env(cfg, i, e->promote_from))
			cfg_error(ld, platci_node_get(at, "promote_from"),
				"\"%s\" promotes from \"%s\", which must be listed before it "
				"(environments are in promotion order)", e->name, e->promote_from);
	}
}

static void load_patterns(cfg_loader *ld, const platci_node *promo)
{
	static const char *const keys[] = { "substitute_patterns", NULL };
	static const char *const defaults[] = { "*_VERSION", NULL };
	const platci_node *list;
	size_t n;

	ld->cfg->patterns = (const char **)defaults;
	if (!promo || !check_mapping(ld, promo, "promotion", keys))
		return;
	if (!(list = platci_node_get(promo, "substitute_patterns")))
		return;
	if (platci_node_type_of(list) != PLATCI_NODE_SEQUENCE) {
		cfg_error(ld, list, "substitute_patterns must be a list of name patterns");
		return;
	}
	n = platci_node_count(list);
	ld->cfg->patterns = platci_arena_zalloc(&ld->cfg->arena, (n + 1) * sizeof(char *));
	if (!ld->cfg->patterns)
		return;
	for (size_t i = 0; i < n; i++) {
		const platci_node *item = platci_node_item(list, i);
		const char *s = platci_node_scalar(item, NULL);
		if (!s || !*s)
			cfg_error(ld, item, "a substitute pattern must be a non-empty string");
		else
			ld->cfg->patterns[i] = platci_arena_strdup(&ld->cfg->arena, s);
	}
}

/* validate: {existing: warn|deny}: the level of findings already at the merge base. */
static void load_validate(cfg_loader *ld, const platci_node *v)
{
	static const char *const keys[] = { "existing", NULL };
	const char *level;

	ld->cfg->existing = PLATCI_ENFORCE_WARN;
	if (!v || !check_mapping(ld, v, "validate", keys))
		return;
	if (!(level = str_field(ld, v, "existing", 0, "validate")))
		return;
	if (strcmp(level, "deny") == 0)
		ld->cfg->existing = PLATCI_ENFORCE_DENY;
	else if (strcmp(level, "warn") != 0)
		cfg_error(ld, platci_node_get(v, "existing"),
			"validate.existing must be warn or deny, not \"%s\"", level);
}

static void load_root(cfg_loader *ld, const platci_node *root)
{
	static const char *const keys[] = { "version", "environments", "policies", "gitops", "infra",
		"promotion", "validate", NULL };
	static const char *const policy_keys[] = { "manifests", "gates", "scan", "drift", NULL };
	const platci_node *version, *envs, *pol;
	platci_config *cfg = ld->cfg;

	if (!check_mapping(ld, root, "platci.yaml", keys))
		return;
	version = platci_node_get(root, "version");
	if (!version)
		cfg_error(ld, root, "platci.yaml needs \"version: 1\"");
	else if (!platci_node_is(version, "1"))
		cfg_error(ld, version, "unsupported version \"%s\" (this platci reads version 1)",
			platci_node_scalar(version, NULL) ? platci_node_scalar(version, NULL) : "?");

	cfg->gitops = platci_node_get(root, "gitops") ? path_field(ld, root, "gitops", 0, "platci.yaml")
						     : "gitops";
	cfg->infra = platci_node_get(root, "infra") ? path_field(ld, root, "infra", 0, "platci.yaml")
						   : "infra";

	envs = platci_node_get(root, "environments");
	if (!envs || platci_node_type_of(envs) != PLATCI_NODE_SEQUENCE ||
	    platci_node_count(envs) == 0) {
		cfg_error(ld, envs ? envs : root, "\"environments\" must be a non-empty list");
	} else {
		cfg->nenvs = platci_node_count(envs);
		cfg->envs = platci_arena_zalloc(&cfg->arena, cfg->nenvs * sizeof(*cfg->envs));
		for (size_t i = 0; cfg->envs && i < cfg->nenvs; i++)
			load_env(ld, platci_node_item(envs, i), &cfg->envs[i]);
		if (cfg->envs)
			check_promotion_order(ld, envs);
	}

	pol = platci_node_get(root, "policies");
	if (pol && check_mapping(ld, pol, "policies", policy_keys)) {
		cfg->policies.manifests = path_field(ld, pol, "manifests", 0, "policies");
		cfg->policies.gates = path_field(ld, pol, "gates", 0, "policies");
		cfg->policies.scan = path_field(ld, pol, "scan", 0, "policies");
		cfg->policies.drift = path_field(ld, pol, "drift", 0, "policies");
	}
	load_patterns(ld, platci_node_get(root, "promotion"));
	load_validate(ld, platci_node_get(root, "validate"));
}

int platci_config_load(platci_config **out, const char *path, const char *root,
	const platci_config_options *opts, platci_diag *diag)
{
	platci_config_options defaults = PLATCI_CONFIG_OPTIONS_INIT;
	platci_config *cfg = NULL;
	platci_doc *doc = NULL;
	platci_buf dir = PLATCI_BUF_INIT;
	cfg_loader ld;
	int error = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_CONFIG_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	cfg = calloc(1, sizeof(*cfg));
	PLATCI_CHECK_ALLOC(cfg);
	platci_arena_init(&cfg->arena, 8192);
	cfg->path = platci__strdup(path);
	PLATCI_CHECK_ALLOC(cfg->path);
	if (!root) {
		if ((error = platci_path_dirname(&dir, path)) < 0)
			goto done;
		root = dir.ptr;
	}
	cfg->root = platci__strdup(root);
	PLATCI_CHECK_ALLOC(cfg->root);

	if ((error = platci_doc_load_file(&doc, path, NULL, diag)) < 0)
		goto done;
	memset(&ld, 0, sizeof(ld));
	ld.cfg = cfg;
	ld.opts = opts;
	ld.diag = diag;
	ld.file = path;
	if (platci_doc_count(doc) != 1 || !platci_doc_root(doc, 0)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, path, 1, 1, 0, NULL, NULL };
		platci_diag_add(diag, &e, "platci.yaml must hold exactly one YAML document");
		error = PLATCI_EDATA;
		goto done;
	}
	load_root(&ld, platci_doc_root(doc, 0));
	if (ld.errors)
		error = PLATCI_EDATA;
done:
	platci_doc_free(doc);
	platci_buf_dispose(&dir);
	if (error < 0) {
		platci_config_free(cfg);
		return error;
	}
	*out = cfg;
	return 0;
}

void platci_config_free(platci_config *cfg)
{
	if (!cfg)
		return;
	platci_arena_dispose(&cfg->arena);
	free(cfg->path);
	free(cfg->root);
	free(cfg);
}

const char *platci_config_root(const platci_config *cfg)
{
	return cfg->root;
}

const char *platci_config_path(const platci_config *cfg)
{
	return cfg->path;
}

size_t platci_config_env_count(const platci_config *cfg)
{
	return cfg ? cfg->nenvs : 0;
}

const platci_env *platci_config_env_at(const platci_config *cfg, size_t i)
{
	return cfg && i < cfg->nenvs ? &cfg->envs[i] : NULL;
}

const platci_env *platci_config_env(const platci_config *cfg, const char *name)
{
	return cfg && name ? find_env(cfg, cfg->nenvs, name) : NULL;
}

const platci_env *platci_config_env_next(const platci_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && name && i < cfg->nenvs; i++)
		if (cfg->envs[i].promote_from && strcmp(cfg->envs[i].promote_from, name) == 0)
			return &cfg->envs[i];
	return NULL;
}

const platci_policy_paths *platci_config_policies(const platci_config *cfg)
{
	return &cfg->policies;
}

const char *platci_config_gitops_root(const platci_config *cfg)
{
	return cfg->gitops ? cfg->gitops : "gitops";
}

const char *platci_config_infra_root(const platci_config *cfg)
{
	return cfg->infra ? cfg->infra : "infra";
}

platci_enforcement platci_config_existing_level(const platci_config *cfg)
{
	return cfg->existing;
}

const char *const *platci_config_substitute_patterns(const platci_config *cfg)
{
	return cfg->patterns;
}

const platci_env *platci_config_env_for_path(const platci_config *cfg, const char *path)
{
	const platci_env *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; cfg && i < cfg->nenvs; i++) {
		const char *dirs[3] = { cfg->envs[i].infra, cfg->envs[i].cluster, cfg->envs[i].overlay };
		for (size_t k = 0; k < 3; k++) {
			if (dirs[k] && platci_path_is_under(path, dirs[k]) && strlen(dirs[k]) > best_len) {
				best = &cfg->envs[i];
				best_len = strlen(dirs[k]);
			}
		}
	}
	return best;
}
