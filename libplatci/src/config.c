/* platci.yaml: loading and validation, through the rules-file walker (rulefile.h). */
#include <stddef.h>
#include <string.h>

#include "platci/clock.h"
#include "platci/config.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "rulefile.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct cfg_promotion {
	rf_strs substitute_patterns;
} cfg_promotion;

/* schemas: {dir, strict, crds}; copied into the public struct after the walk. */
typedef struct cfg_schemas {
	const char *dir;
	int strict;
	rf_strs crds;
} cfg_schemas;

typedef struct cfg_validate {
	int existing; /* index into existing_levels: 0 warn, 1 deny */
} cfg_validate;

struct platci_config {
	platci_arena arena;
	platci_doc *doc; /* the strings are the document's */
	char *path;
	char *root;
	const platci_config_options *opts; /* while loading */
	rf_list envs; /* of platci_env */
	platci_policy_paths policies;
	const char *gitops;
	const char *infra;
	const char *timezone;
	int offset;
	rf_strs patterns;
	cfg_promotion promotion;
	cfg_validate validate; /* validate.existing */
	cfg_schemas schemas_raw;
	platci_schema_config schemas;
};

int platci_config_options_init(platci_config_options *opts, unsigned int version)
{
	platci_config_options init = PLATCI_CONFIG_OPTIONS_INIT;

	if (version != PLATCI_CONFIG_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* A repo-relative path: normalised once, here, inside the root, and (if @p must_exist) existing. */
static void inside_path(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst, int must_exist)
{
	platci_config *cfg = c->user;
	const char *raw = *(const char **)dst;
	platci_buf norm = PLATCI_BUF_INIT, full = PLATCI_BUF_INIT;
	int rc = platci_path_normalize(&norm, raw);

	*(const char **)dst = NULL;
	if (rc == PLATCI_ENOMEM || norm.error) {
		c->oom = 1;
	} else if (rc == PLATCI_EUNSAFE ||
		   (rc == 0 && platci_path_check_inside(cfg->root, norm.ptr) == PLATCI_EUNSAFE)) {
		platci_rulefile__error(c, n, "\"%s\" path \"%s\" leaves the repository", k->name, raw);
	} else if (rc < 0) {
		platci_rulefile__error(c, n, "\"%s\" path \"%s\" is not a valid path", k->name, raw);
	} else if (platci_path_on_disk(&full, cfg->root, norm.ptr) < 0) {
		c->oom = 1;
	} else if (must_exist && !cfg->opts->skip_path_checks && !platci_fs_exists(full.ptr)) {
		platci_rulefile__error(c, n, "\"%s\" path \"%s\" does not exist", k->name, raw);
	} else if (!(*(const char **)dst = platci_arena_strdup(&cfg->arena, norm.ptr))) {
		c->oom = 1;
	}
	platci_buf_dispose(&norm);
	platci_buf_dispose(&full);
}

static void repo_path(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	inside_path(c, k, n, dst, 1);
}

/* schemas.dir: a fetch job may not have made it yet; validate says so when it is missing. */
static void maybe_path(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	inside_path(c, k, n, dst, 0);
}

/* kubernetes_version: `1.30`, `v1.30.4` (normalised when the schemas are looked up). */
static void k8s_version(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	const char *s = *(const char **)dst;
	const char *p = s + (*s == 'v');
	int ok = *p >= '0' && *p <= '9';

	(void)k;
	while (ok && *p >= '0' && *p <= '9')
		p++;
	ok = ok && *p == '.' && p[1] >= '0' && p[1] <= '9';
	if (!ok)
		platci_rulefile__error(c, n,
			"kubernetes_version \"%s\" is not a Kubernetes version "
			"such as \"1.30\"",
			s);
}

static void env_name(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	const char *s = *(const char **)dst;
	int ok = *s && strlen(s) <= 63 && s[0] != '-';

	(void)k;
	for (const char *p = s; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
	if (!ok)
		platci_rulefile__error(c, n,
			"environment name \"%s\" must be lower-case letters, "
			"digits and '-'",
			s);
}

static void zone(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	(void)k;
	platci_rulefile__zone(c, n, *(const char **)dst, &((platci_config *)c->user)->offset);
}

static void env_check(rf_ctx *c, const platci_node *map, void *obj)
{
	platci_env *env = obj;

	env->line = platci_node_start(map).line;
	if (!env->infra && !env->cluster)
		platci_rulefile__error(c, map,
			"environment \"%s\" needs \"infra\" (its Terraform "
			"root), \"cluster\" (its Flux cluster path) or both",
			env->name);
}

static const rf_key env_keys[] = {
	{ RF_KEY("name", RF_STR, RF_REQUIRED, platci_env, name), .parse = env_name },
	{ RF_KEY("region", RF_STR, 0, platci_env, region) },
	{ RF_KEY("infra", RF_STR, 0, platci_env, infra), .parse = repo_path },
	{ RF_KEY("cluster", RF_STR, 0, platci_env, cluster), .parse = repo_path },
	{ RF_KEY("overlay", RF_STR, 0, platci_env, overlay), .parse = repo_path },
	{ RF_KEY("promote_from", RF_STR, 0, platci_env, promote_from) },
	{ RF_KEY("protected", RF_BOOL, 0, platci_env, is_protected) },
	{ RF_KEY("kubernetes_version", RF_STR, 0, platci_env, kubernetes_version), .parse = k8s_version },
};
static const rf_table env_table = RF_TABLE("an environment", env_keys, platci_env, NULL, env_check);

static const rf_key policy_keys[] = {
	{ RF_KEY("manifests", RF_STR, 0, platci_policy_paths, manifests), .parse = repo_path },
	{ RF_KEY("gates", RF_STR, 0, platci_policy_paths, gates), .parse = repo_path },
	{ RF_KEY("scan", RF_STR, 0, platci_policy_paths, scan), .parse = repo_path },
	{ RF_KEY("drift", RF_STR, 0, platci_policy_paths, drift), .parse = repo_path },
	{ RF_KEY("plan", RF_STR, 0, platci_policy_paths, plan), .parse = repo_path },
};
static const rf_table policy_table = RF_TABLE("policies", policy_keys, platci_policy_paths, NULL, NULL);

static const rf_key promotion_keys[] = {
	{ RF_KEY("substitute_patterns", RF_STRS, 0, cfg_promotion, substitute_patterns) },
};
/* validate: {existing: warn|deny}: the level of findings already at the merge base. */
static const char *const existing_levels[] = { "warn", "deny", NULL };
static const rf_key validate_keys[] = {
	{ RF_KEY("existing", RF_ENUM, 0, cfg_validate, existing), .values = existing_levels },
};
static const rf_table validate_table = RF_TABLE("validate", validate_keys, cfg_validate, NULL, NULL);

static const rf_key schemas_keys[] = {
	{ RF_KEY("dir", RF_STR, 0, cfg_schemas, dir), .parse = maybe_path },
	{ RF_KEY("strict", RF_BOOL, 0, cfg_schemas, strict) },
	{ RF_KEY("crds", RF_STRS, 0, cfg_schemas, crds) },
};
static const rf_table schemas_table = RF_TABLE("schemas", schemas_keys, cfg_schemas, NULL, NULL);

static const rf_table promotion_table = RF_TABLE("promotion", promotion_keys, cfg_promotion, NULL, NULL);

static const platci_env *find_env(const platci_config *cfg, size_t n, const char *name)
{
	const platci_env *envs = cfg->envs.items;

	for (size_t i = 0; i < n; i++)
		if (envs[i].name && strcmp(envs[i].name, name) == 0)
			return &envs[i];
	return NULL;
}

static void check_promotion_order(rf_ctx *c, const platci_node *root, void *obj)
{
	platci_config *cfg = obj;
	const platci_node *list = platci_node_get(root, "environments");
	const platci_env *envs = cfg->envs.items;
	size_t n = cfg->envs.count;

	for (size_t i = 0; i < n; i++) {
		const platci_env *e = &envs[i], *walk = e;
		const platci_node *at = platci_node_item_at(list, i),
				  *from = platci_node_get(at, "promote_from");
		size_t steps = 0;

		if (find_env(cfg, i, e->name))
			platci_rulefile__error(c, at, "environment \"%s\" is declared twice", e->name);
		if (!e->promote_from)
			continue;
		if (!find_env(cfg, n, e->promote_from)) {
			const char *names[64], *near;
			size_t k = 0;
			for (; k < n && k < 64; k++)
				names[k] = envs[k].name;
			near = platci_rulefile__suggest(e->promote_from, names, k);
			platci_rulefile__error(c, from,
				"promote_from \"%s\" names no environment%s%s%s", e->promote_from,
				near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
			continue;
		}
		while (walk && walk->promote_from && steps <= n) {
			walk = find_env(cfg, n, walk->promote_from);
			steps++;
			if (walk == e)
				break;
		}
		if (walk == e)
			platci_rulefile__error(c, from, "promote_from of \"%s\" forms a cycle", e->name);
		else if (!find_env(cfg, i, e->promote_from))
			platci_rulefile__error(c, from,
				"\"%s\" promotes from \"%s\", which must be "
				"listed before it (environments are in promotion order)",
				e->name, e->promote_from);
	}
}

static const rf_key root_keys[] = {
	{ .name = "version", .type = RF_VERSION, .flags = RF_REQUIRED },
	{ RF_KEY("timezone", RF_STR, 0, platci_config, timezone), .parse = zone },
	{ RF_KEY("gitops", RF_STR, 0, platci_config, gitops), .parse = repo_path },
	{ RF_KEY("infra", RF_STR, 0, platci_config, infra), .parse = repo_path },
	{ RF_KEY("environments", RF_LIST, RF_REQUIRED | RF_NONEMPTY, platci_config, envs), .table = &env_table },
	{ RF_KEY("policies", RF_MAP, 0, platci_config, policies), .table = &policy_table },
	{ RF_KEY("promotion", RF_MAP, 0, platci_config, promotion), .table = &promotion_table },
	{ RF_KEY("validate", RF_MAP, 0, platci_config, validate), .table = &validate_table },
	{ RF_KEY("schemas", RF_MAP, 0, platci_config, schemas_raw), .table = &schemas_table },
};
static const rf_table root_table =
	RF_TABLE("platci.yaml", root_keys, platci_config, NULL, check_promotion_order);

/* schemas.crds: each a path inside the repository, normalised and existing. */
static int schema_crds(rf_ctx *c, platci_config *cfg, const platci_node *root)
{
	const platci_node *list = platci_node_dig(root, "schemas.crds");
	const rf_key k = { .name = "schemas.crds" };
	cfg_schemas *raw = &cfg->schemas_raw;

	cfg->schemas.dir = raw->dir;
	cfg->schemas.strict = raw->strict;
	for (size_t i = 0; i < raw->crds.count; i++) {
		const platci_node *at = platci_node_type_of(list) == PLATCI_NODE_SEQUENCE
						? platci_node_item_at(list, i)
						: list;
		repo_path(c, &k, at, &raw->crds.items[i]);
		if (c->oom)
			return PLATCI_ENOMEM;
	}
	cfg->schemas.crds = raw->crds.items;
	cfg->schemas.ncrds = raw->crds.count;
	return 0;
}

static int load_root(platci_config *cfg, platci_diag *diag)
{
	static const char *const defaults[] = { "*_VERSION", NULL };
	const platci_node *root;
	rf_ctx c;
	int error;

	platci_rulefile__init(&c, cfg->path, NULL, &cfg->arena, diag);
	c.user = cfg;
	cfg->gitops = "gitops";
	cfg->infra = "infra";
	cfg->timezone = PLATCI_CONFIG_DEFAULT_TIMEZONE;
	if ((error = platci_time_zone_offset(&cfg->offset, cfg->timezone)) < 0 ||
		(error = platci_rulefile__root(&c, cfg->doc, &root)) < 0)
		return error;
	if (!root)
		platci_rulefile__error(&c, NULL,
			"platci.yaml is empty: it needs \"version: 1\" "
			"and \"environments\"");
	else
		platci_rulefile__walk(&c, root, &root_table, cfg);
	if ((error = schema_crds(&c, cfg, root)) < 0)
		return error;
	cfg->patterns = cfg->promotion.substitute_patterns;
	if (!cfg->patterns.items)
		cfg->patterns.items = (const char **)defaults;
	for (size_t i = 0; i < cfg->patterns.count; i++)
		if (!*cfg->patterns.items[i])
			platci_rulefile__error(&c, platci_node_dig(root, "promotion.substitute_patterns"),
				"a substitute pattern must be a non-empty string");
	return platci_rulefile__status(&c);
}

int platci_config_load(platci_config **out, const char *path, const char *root,
	const platci_config_options *opts, platci_diag *diag)
{
	platci_config_options defaults = PLATCI_CONFIG_OPTIONS_INIT;
	platci_config *cfg = NULL;
	platci_buf dir = PLATCI_BUF_INIT;
	int error = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_CONFIG_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	cfg = calloc(1, sizeof(*cfg));
	PLATCI_CHECK_ALLOC(cfg);
	platci_arena_init(&cfg->arena, 8192);
	cfg->opts = opts;
	cfg->path = platci__strdup(path);
	PLATCI_CHECK_ALLOC(cfg->path);
	if (!root) {
		if ((error = platci_path_dirname(&dir, path)) < 0)
			goto done;
		root = dir.ptr;
	}
	cfg->root = platci__strdup(root);
	PLATCI_CHECK_ALLOC(cfg->root);
	if ((error = platci_doc_load_file(&cfg->doc, path, NULL, diag)) < 0 ||
		(error = load_root(cfg, diag)) < 0)
		goto done;
	cfg->opts = NULL;
	*out = cfg;
	cfg = NULL;
done:
	platci_config_free(cfg);
	platci_buf_dispose(&dir);
	return error;
}

void platci_config_free(platci_config *cfg)
{
	if (!cfg)
		return;
	platci_arena_dispose(&cfg->arena);
	platci_doc_free(cfg->doc);
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
	return cfg ? cfg->envs.count : 0;
}

const platci_env *platci_config_env_at(const platci_config *cfg, size_t i)
{
	return cfg && i < cfg->envs.count ? &((const platci_env *)cfg->envs.items)[i] : NULL;
}

const platci_env *platci_config_env(const platci_config *cfg, const char *name)
{
	return cfg && name ? find_env(cfg, cfg->envs.count, name) : NULL;
}

const platci_env *platci_config_env_next(const platci_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && name && i < cfg->envs.count; i++) {
		const platci_env *e = platci_config_env_at(cfg, i);
		if (e->promote_from && strcmp(e->promote_from, name) == 0)
			return e;
	}
	return NULL;
}

const platci_policy_paths *platci_config_policies(const platci_config *cfg)
{
	return &cfg->policies;
}

const char *platci_config_gitops_root(const platci_config *cfg)
{
	return cfg->gitops;
}

const char *platci_config_infra_root(const platci_config *cfg)
{
	return cfg->infra;
}

platci_enforcement platci_config_existing_level(const platci_config *cfg)
{
	return cfg->validate.existing == 1 ? PLATCI_ENFORCE_DENY : PLATCI_ENFORCE_WARN;
}

const char *const *platci_config_substitute_patterns(const platci_config *cfg)
{
	return cfg->patterns.items;
}

const char *platci_config_timezone(const platci_config *cfg)
{
	return cfg ? cfg->timezone : PLATCI_CONFIG_DEFAULT_TIMEZONE;
}

int platci_config_utc_offset(const platci_config *cfg)
{
	int offset = 0;

	if (cfg)
		return cfg->offset;
	platci_time_zone_offset(&offset, PLATCI_CONFIG_DEFAULT_TIMEZONE);
	return offset;
}

const platci_schema_config *platci_config_schemas(const platci_config *cfg)
{
	return &cfg->schemas;
}

const platci_env *platci_config_env_for_path(const platci_config *cfg, const char *path)
{
	const platci_env *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; cfg && i < cfg->envs.count; i++) {
		const platci_env *e = platci_config_env_at(cfg, i);
		const char *dirs[3] = { e->infra, e->cluster, e->overlay };
		for (size_t k = 0; k < 3; k++) {
			if (dirs[k] && platci_path_is_under(path, dirs[k]) && strlen(dirs[k]) > best_len) {
				best = e;
				best_len = strlen(dirs[k]);
			}
		}
	}
	return best;
}
