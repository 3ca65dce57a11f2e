/*
 * The schema store: apiVersion/kind -> compiled schema, per Kubernetes
 * version, plus the repository's CRDs; lookups, validation of one
 * object, removed-API derivation and listing.
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "schema_store_int.h"
#include "util/common.h"
#include "util/banned.h"

int platci_schema_store_options_init(platci_schema_store_options *opts, unsigned int version)
{
	platci_schema_store_options init = PLATCI_SCHEMA_STORE_OPTIONS_INIT;

	if (version != PLATCI_SCHEMA_STORE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

int platci_schema_store_new(platci_schema_store **out, const platci_schema_store_options *opts)
{
	platci_schema_store *st;

	*out = NULL;
	if (opts && opts->version != PLATCI_SCHEMA_STORE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if (!(st = calloc(1, sizeof(*st))))
		return PLATCI_ENOMEM;
	if (opts)
		st->opts = *opts;
	else
		platci_schema_store_options_init(&st->opts, PLATCI_SCHEMA_STORE_OPTIONS_VERSION);
	platci_arena_init(&st->arena, 64 * 1024);
	*out = st;
	return 0;
}

static void set_dispose(store_set *set)
{
	free(set->e);
	free(set->index);
}

void platci_schema_store_free(platci_schema_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nlayers; i++) {
		set_dispose(&st->layers[i]->set);
		free(st->layers[i]);
	}
	free(st->layers);
	set_dispose(&st->repo);
	for (size_t i = 0; i < st->nschemas; i++)
		platci_schema_free(st->schemas[i]);
	free(st->schemas);
	platci_arena_dispose(&st->arena);
	free(st);
}

int platci_schema__store_keep(platci_schema_store *st, platci_schema *s)
{
	if (platci__grow_array((void **)&st->schemas, &st->schemas_alloc, st->nschemas + 1,
		    sizeof(*st->schemas)) < 0)
		return PLATCI_ENOMEM;
	st->schemas[st->nschemas++] = s;
	return 0;
}

/* ---- versions ------------------------------------------------------------------------ */

static int parse_version(int *major, int *minor, const char *v)
{
	long a = 0, b = 0;
	int da = 0, db = 0;

	if (!v)
		return PLATCI_EINVALID;
	if (*v == 'v' || *v == 'V')
		v++;
	for (; *v >= '0' && *v <= '9' && da < 4; v++, da++)
		a = a * 10 + (*v - '0');
	if (!da || *v++ != '.')
		return PLATCI_EINVALID;
	for (; *v >= '0' && *v <= '9' && db < 4; v++, db++)
		b = b * 10 + (*v - '0');
	if (!db || (*v && *v != '.' && *v != '+' && *v != '-'))
		return PLATCI_EINVALID;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

int platci_schema_version_normalize(char *out, size_t size, const char *version)
{
	int major, minor, n;

	if (parse_version(&major, &minor, version) < 0)
		return PLATCI_EINVALID;
	n = snprintf(out, size, "%d.%d", major, minor);
	return n < 0 || (size_t)n >= size ? PLATCI_EINVALID : 0;
}

const store_layer *platci_schema__layer_get(const platci_schema_store *st, const char *k8s_version)
{
	int major, minor;

	if (!k8s_version || parse_version(&major, &minor, k8s_version) < 0)
		return NULL;
	for (size_t i = 0; i < st->nlayers; i++)
		if (st->layers[i]->major == major && st->layers[i]->minor == minor)
			return st->layers[i];
	return NULL;
}

store_layer *platci_schema__layer(platci_schema_store *st, const char *version, int create)
{
	store_layer *l = (store_layer *)platci_schema__layer_get(st, version);
	size_t at;

	if (l || !create)
		return l;
	if (!(l = calloc(1, sizeof(*l))))
		return NULL;
	if (parse_version(&l->major, &l->minor, version) < 0 ||
		platci__grow_array((void **)&st->layers, &st->layers_alloc, st->nlayers + 1,
			sizeof(*st->layers)) < 0) {
		free(l);
		return NULL;
	}
	snprintf(l->version, sizeof(l->version), "%d.%d", l->major, l->minor);
	for (at = 0; at < st->nlayers; at++)
		if (st->layers[at]->major > l->major ||
			(st->layers[at]->major == l->major && st->layers[at]->minor > l->minor))
			break;
	memmove(st->layers + at + 1, st->layers + at, (st->nlayers - at) * sizeof(*st->layers));
	st->layers[at] = l;
	st->nlayers++;
	return l;
}

/* ---- sets ------------------------------------------------------------------------------ */

static size_t gvk_hash(const char *api_version, const char *kind)
{
	return platci_schema__name_hash(api_version, strlen(api_version)) * 31 +
	       platci_schema__name_hash(kind, strlen(kind));
}

const store_entry *platci_schema__set_find(const store_set *set, const char *api_version, const char *kind)
{
	if (!set->index)
		return NULL;
	for (size_t h = gvk_hash(api_version, kind) & set->mask; set->index[h]; h = (h + 1) & set->mask) {
		const store_entry *e = &set->e[set->index[h] - 1];
		if (!strcmp(e->gvk.kind, kind) && !strcmp(e->gvk.api_version, api_version))
			return e;
	}
	return NULL;
}

static int cmp_entry(const void *a, const void *b)
{
	const store_entry *x = a, *y = b;
	int c = strcmp(x->gvk.api_version, y->gvk.api_version);

	return c ? c : strcmp(x->gvk.kind, y->gvk.kind);
}

int platci_schema__set_finish(store_set *set)
{
	size_t size = 16;
	uint32_t *index;

	if (set->n > 1)
		qsort(set->e, set->n, sizeof(*set->e), cmp_entry);
	while (size < set->n * 2)
		size *= 2;
	if (!(index = calloc(size, sizeof(*index))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < set->n; i++) {
		size_t h = gvk_hash(set->e[i].gvk.api_version, set->e[i].gvk.kind) & (size - 1);
		while (index[h])
			h = (h + 1) & (size - 1);
		index[h] = (uint32_t)(i + 1);
	}
	free(set->index);
	set->index = index;
	set->mask = size - 1;
	return 0;
}

int platci_schema__set_add(platci_schema_store *st, store_set *set, const char *api_version,
	const char *kind, const char *file, platci_schema_origin origin, const sch *root,
	const platci_schema *schema)
{
	store_entry *e = NULL;

	/* Linear here: the index is rebuilt once per document by set_finish. */
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->e[i].gvk.kind, kind) || strcmp(set->e[i].gvk.api_version, api_version))
			continue;
		if (set->e[i].gvk.origin != PLATCI_SCHEMA_FROM_OPENAPI || origin == PLATCI_SCHEMA_FROM_OPENAPI)
			return 0; /* the first CRD wins; a CRD beats the OpenAPI document */
		e = &set->e[i];
		break;
	}
	if (!e) {
		if (platci__grow_array((void **)&set->e, &set->alloc, set->n + 1, sizeof(*set->e)) < 0)
			return PLATCI_ENOMEM;
		e = &set->e[set->n++];
		if (!(e->gvk.api_version = platci_arena_strdup(&st->arena, api_version)) ||
			!(e->gvk.kind = platci_arena_strdup(&st->arena, kind)))
			return PLATCI_ENOMEM;
	}
	if (!(e->gvk.file = platci_arena_strdup(&st->arena, file ? file : "")))
		return PLATCI_ENOMEM;
	e->gvk.origin = origin;
	e->root = root;
	e->schema = schema;
	return 1;
}

/* ---- lookups ----------------------------------------------------------------------------- */

static const store_entry *find_entry(const platci_schema_store *st, const store_layer *l,
	const char *api_version, const char *kind)
{
	const store_entry *e = platci_schema__set_find(&st->repo, api_version, kind);

	if (!e && l)
		e = platci_schema__set_find(&l->set, api_version, kind);
	return e;
}

int platci_schema_store_find(const platci_schema_store *st, const char *k8s_version,
	const char *api_version, const char *kind)
{
	const store_entry *e;

	if (!st || !api_version || !kind)
		return 0;
	e = find_entry(st, platci_schema__layer_get(st, k8s_version), api_version, kind);
	return e ? (int)e->gvk.origin : 0;
}

int platci_schema_store_validate(platci_schema_violations *out, const platci_schema_store *st,
	const char *k8s_version, const platci_node *object, const char *source,
	const platci_schema_check_options *opts)
{
	const char *api_version = platci_node_get_str(object, "apiVersion");
	const char *kind = platci_node_get_str(object, "kind");
	const store_layer *l;
	const store_entry *e;
	const sch *meta;
	int major, minor;

	if (!st || !api_version || !kind || !*api_version || !*kind ||
		parse_version(&major, &minor, k8s_version) < 0)
		return PLATCI_EINVALID;
	l = platci_schema__layer_get(st, k8s_version);
	if (!(e = find_entry(st, l, api_version, kind)))
		return l && l->has_openapi ? PLATCI_ENOTFOUND : PLATCI_EVERSION;
	meta = l && l->object_meta ? l->object_meta : st->any_object_meta;
	return platci_schema__validate(out, e->schema, e->root, meta, object, source, opts);
}

/* GA before beta before alpha; a higher version first. */
static int stability(const char *api_version)
{
	const char *v = strrchr(api_version, '/');
	int major = 0, minor = 0, base = 300;

	v = v ? v + 1 : api_version;
	if (*v++ != 'v')
		return 0;
	while (*v >= '0' && *v <= '9' && major < 100)
		major = major * 10 + (*v++ - '0');
	if (!strncmp(v, "beta", 4) || !strncmp(v, "alpha", 5)) {
		base = *v == 'b' ? 200 : 100;
		v += *v == 'b' ? 4 : 5;
		while (*v >= '0' && *v <= '9' && minor < 10)
			minor = minor * 10 + (*v++ - '0');
	}
	return base + major * 10 + minor;
}

static int same_group(const char *a, const char *b)
{
	const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
	size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;

	return la == lb && !strncmp(a, b, la);
}

static void best_replacement(char *out, size_t size, const store_set *set, const char *api_version,
	const char *kind, int *best)
{
	for (size_t i = 0; i < set->n; i++) {
		const store_entry *e = &set->e[i];
		int score;
		if (strcmp(e->gvk.kind, kind) || !strcmp(e->gvk.api_version, api_version))
			continue;
		score = stability(e->gvk.api_version) +
			(same_group(e->gvk.api_version, api_version) ? 1000 : 0);
		if (score > *best) {
			*best = score;
			snprintf(out, size, "%s", e->gvk.api_version);
		}
	}
}

int platci_schema_store_removed(platci_schema_removal *out, const platci_schema_store *st,
	const char *k8s_version, const char *api_version, const char *kind)
{
	const store_layer *l;
	size_t at, last = SIZE_MAX;
	int best = -1;

	if (!out || !st || !api_version || !kind)
		return PLATCI_EINVALID;
	memset(out, 0, sizeof(*out));
	if (!(l = platci_schema__layer_get(st, k8s_version)) || !l->has_openapi)
		return PLATCI_EVERSION;
	if (find_entry(st, l, api_version, kind))
		return 0;
	for (at = 0; st->layers[at] != l; at++)
		;
	for (size_t i = at; i-- > 0;) {
		if (st->layers[i]->has_openapi &&
			platci_schema__set_find(&st->layers[i]->set, api_version, kind)) {
			last = i;
			break;
		}
	}
	if (last == SIZE_MAX)
		return 0;
	snprintf(out->last_served, sizeof(out->last_served), "%s", st->layers[last]->version);
	for (size_t i = last + 1; i <= at; i++) {
		if (st->layers[i]->has_openapi) {
			snprintf(out->removed_in, sizeof(out->removed_in), "%s", st->layers[i]->version);
			break;
		}
	}
	best_replacement(out->replacement, sizeof(out->replacement), &l->set, api_version, kind, &best);
	best_replacement(out->replacement, sizeof(out->replacement), &st->repo, api_version, kind, &best);
	return 1;
}

/* ---- listing ------------------------------------------------------------------------------ */

size_t platci_schema_store_version_count(const platci_schema_store *st)
{
	return st ? st->nlayers : 0;
}

const char *platci_schema_store_version_at(const platci_schema_store *st, size_t i)
{
	return st && i < st->nlayers ? st->layers[i]->version : NULL;
}

static const store_set *set_of(const platci_schema_store *st, const char *k8s_version)
{
	const store_layer *l;

	if (!st)
		return NULL;
	if (!k8s_version)
		return &st->repo;
	l = platci_schema__layer_get(st, k8s_version);
	return l ? &l->set : NULL;
}

size_t platci_schema_store_gvk_count(const platci_schema_store *st, const char *k8s_version)
{
	const store_set *set = set_of(st, k8s_version);

	return set ? set->n : 0;
}

const platci_schema_gvk *platci_schema_store_gvk_at(const platci_schema_store *st,
	const char *k8s_version, size_t i)
{
	const store_set *set = set_of(st, k8s_version);

	return set && i < set->n ? &set->e[i].gvk : NULL;
}

size_t platci_schema_store_unsupported_count(const platci_schema_store *st)
{
	size_t n = 0;

	for (size_t i = 0; st && i < st->nschemas; i++)
		n += platci_schema_unsupported_count(st->schemas[i]);
	return n;
}
