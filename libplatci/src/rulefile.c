/* The rules-file schema walker (see rulefile.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rulefile.h"
#include "platci/clock.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_NAMES 64 /* keys of one mapping, counting embedded tables */

void platci_rulefile__init(rf_ctx *c, const char *file, const platci_config *cfg,
	platci_arena *arena, platci_diag *diag)
{
	memset(c, 0, sizeof(*c));
	c->file = file;
	c->diag = diag;
	c->arena = arena;
	c->zone = platci_config_utc_offset(cfg);
	if (cfg) {
		const char **names = platci_arena_zalloc(arena,
			(platci_config_env_count(cfg) + 1) * sizeof(char *));
		if (!names) {
			c->oom = 1;
			return;
		}
		for (size_t i = 0; i < platci_config_env_count(cfg); i++)
			if (platci_config_env_at(cfg, i)->name)
				names[c->nenvs++] = platci_config_env_at(cfg, i)->name;
		c->envs = names;
	}
}

static void verror(rf_ctx *c, platci_pos pos, const char *fmt, va_list ap) PLATCI_PRINTF(3, 0);

static void verror(rf_ctx *c, platci_pos pos, const char *fmt, va_list ap)
{
	if (platci_diag_verror(c->diag, PLATCI_EDATA, c->file, pos.line, pos.column, pos.offset,
		    fmt, ap) == PLATCI_ENOMEM)
		c->oom = 1;
	c->errors++;
}

void platci_rulefile__error(rf_ctx *c, const platci_node *at, const char *fmt, ...)
{
	platci_pos pos = { 0, 0, 0 };
	va_list ap;

	if (at)
		pos = platci_node_start(at);
	va_start(ap, fmt);
	verror(c, pos, fmt, ap);
	va_end(ap);
}

void platci_rulefile__error_at(rf_ctx *c, size_t line, size_t column, const char *fmt, ...)
{
	platci_pos pos = { line, column, 0 };
	va_list ap;

	va_start(ap, fmt);
	verror(c, pos, fmt, ap);
	va_end(ap);
}

int platci_rulefile__status(const rf_ctx *c)
{
	if (c->oom)
		return PLATCI_ENOMEM;
	if (c->version_error)
		return PLATCI_EVERSION;
	return c->errors ? PLATCI_EDATA : 0;
}

/* ---- did you mean ------------------------------------------------------------------------ */

/* Optimal string alignment distance (a swap of two neighbours counts one), capped at 9. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[3][33];

	if (la > 32 || lb > 32)
		return 9;
	for (size_t j = 0; j <= lb; j++)
		row[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *cur = row[i % 3], *prev = row[(i - 1) % 3], *prev2 = row[(i + 1) % 3];
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
				prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
	}
	return row[la % 3][lb] > 9 ? 9 : row[la % 3][lb];
}

/* "prd" of "prd-uaenorth" read as an abbreviation of @p word: "prod", "production". */
static int abbreviates(const char *cand, const char *word)
{
	size_t n = strcspn(cand, "-_.");
	const char *w = word;

	if (n < 2 || !cand[n] || cand[0] != word[0])
		return 0;
	for (size_t i = 0; i < n; i++) {
		while (*w && *w != cand[i])
			w++;
		if (!*w++)
			return 0;
	}
	return 1;
}

const char *platci_rulefile__suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL, *abbrev = NULL;
	size_t best_d = 9, len = strlen(word), nabbrev = 0;

	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, cands[i]), longer = strlen(cands[i]);
		size_t limit = (longer > len ? longer : len) / 3;
		if (limit < 1)
			limit = 1;
		if (limit > 3)
			limit = 3;
		if (d <= limit && d < best_d) {
			best = cands[i];
			best_d = d;
		}
		if (abbreviates(cands[i], word)) {
			abbrev = cands[i];
			nabbrev++;
		}
	}
	if (best)
		return best;
	return nabbrev == 1 ? abbrev : NULL;
}

/* ", a, b or c" into @p out. */
static void list_names(char *out, size_t size, const char *const *names, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		int w = snprintf(out + used, size - used, "%s%s",
			i == 0       ? ""
			: i + 1 == n ? " or "
				     : ", ",
			names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void platci_rulefile__zone(rf_ctx *c, const platci_node *at, const char *name, int *offset)
{
	if (platci_time_zone_offset(offset, name) < 0)
		platci_rulefile__error(c, at,
			"unknown time zone \"%s\": platci knows fixed-offset "
			"zones only: %s",
			name, platci_time_zone_list());
}

/* ---- environments ------------------------------------------------------------------------ */

void platci_rulefile__env(rf_ctx *c, const platci_node *at, const char *name, const char *what)
{
	const char *want = name, *near;
	char known[400];

	if (!c->envs)
		return;
	if (*want == '!')
		want++;
	if (strpbrk(want, "*?[")) {
		for (size_t i = 0; i < c->nenvs; i++)
			if (platci__glob_match(want, c->envs[i]))
				return;
		list_names(known, sizeof(known), c->envs, c->nenvs);
		platci_rulefile__error(c, at,
			"%s: \"%s\" matches no environment of platci.yaml "
			"(%s)",
			what, want, known);
		return;
	}
	for (size_t i = 0; i < c->nenvs; i++)
		if (strcmp(want, c->envs[i]) == 0)
			return;
	if ((near = platci_rulefile__suggest(want, c->envs, c->nenvs)) != NULL) {
		platci_rulefile__error(c, at,
			"%s: unknown environment \"%s\"; did you mean \"%s\"?", what, want, near);
		return;
	}
	list_names(known, sizeof(known), c->envs, c->nenvs);
	platci_rulefile__error(c, at, "%s: unknown environment \"%s\" (platci.yaml has %s)", what,
		want, known);
}

/* ---- values ------------------------------------------------------------------------------ */

static void walk_in(rf_ctx *c, const platci_node *map, const rf_table *t, void *obj, const char *mapkey);

static const char *scalar_of(rf_ctx *c, const rf_key *k, const platci_node *v)
{
	const char *s = platci_node_scalar(v, NULL);

	if (!s || platci_node_is_null(v)) {
		platci_rulefile__error(c, v, "\"%s\" must be a string", k->name);
		return NULL;
	}
	if ((k->flags & RF_NONEMPTY) && !*s) {
		platci_rulefile__error(c, v, "\"%s\" must not be empty", k->name);
		return NULL;
	}
	return s;
}

static void enum_value(rf_ctx *c, const rf_key *k, const platci_node *v, const char *s, int *dst)
{
	char names[300];
	size_t n = 0;
	const char *near;

	for (; k->values[n]; n++)
		if (strcmp(k->values[n], s) == 0) {
			*dst = (int)n;
			return;
		}
	list_names(names, sizeof(names), k->values, n);
	if ((near = platci_rulefile__suggest(s, k->values, n)) != NULL)
		platci_rulefile__error(c, v, "\"%s\" must be %s, not \"%s\"; did you mean \"%s\"?",
			k->name, names, s, near);
	else
		platci_rulefile__error(c, v, "\"%s\" must be %s, not \"%s\"", k->name, names, s);
}

static void number(rf_ctx *c, const rf_key *k, const platci_node *v, const char *s, void *dst)
{
	char *end = NULL;
	double d = strtod(s, &end);

	if (k->type == RF_INT) {
		long l = strtol(s, &end, 10);
		if (*s && !*end && (double)l >= k->min && (double)l <= k->max) {
			*(long *)dst = l;
			return;
		}
		platci_rulefile__error(c, v,
			"\"%s\" must be a whole number from %.0f to %.0f, not "
			"\"%s\"",
			k->name, k->min, k->max, s);
		return;
	}
	if (*s && !*end && d >= k->min && d <= k->max) {
		*(double *)dst = d;
		return;
	}
	platci_rulefile__error(c, v, "\"%s\" must be a number from %g to %g, not \"%s\"", k->name,
		k->min, k->max, s);
}

static void expiry(rf_ctx *c, const rf_key *k, const platci_node *v, const char *s, rf_expiry *dst)
{
	int y, m, d;
	char tail;

	if (platci_time_parse_expiry(&dst->at, s, c->zone) == 0) {
		dst->text = s;
		return;
	}
	/* the shape of a date but not a day of the calendar: say which part is wrong */
	if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
		if (m < 1 || m > 12)
			platci_rulefile__error(c, v,
				"\"%s\": %s is not a date (there is no month "
				"%d)",
				k->name, s, m);
		else
			platci_rulefile__error(c, v,
				"\"%s\": %s is not a date (%04d-%02d has %d "
				"days)",
				k->name, s, y, m, platci_days_in_month(y, m));
		return;
	}
	platci_rulefile__error(c, v,
		"\"%s\" must be a date YYYY-MM-DD (valid through that "
		"day) or a time with a zone such as 2026-12-31T18:00:00Z, not \"%s\"",
		k->name, s);
}

/* A scalar or a list of scalars, each checked as an environment for RF_ENVS. */
static void strs(rf_ctx *c, const rf_key *k, const platci_node *v, rf_strs *dst)
{
	int seq = platci_node_type_of(v) == PLATCI_NODE_SEQUENCE;
	size_t n = seq ? platci_node_count(v) : 1;

	if (!seq && platci_node_type_of(v) != PLATCI_NODE_SCALAR) {
		platci_rulefile__error(c, v, "\"%s\" must be a list of strings", k->name);
		return;
	}
	if ((k->flags & RF_NONEMPTY) && !n) {
		platci_rulefile__error(c, v, "\"%s\" must be a non-empty list", k->name);
		return;
	}
	if (!(dst->items = platci_arena_zalloc(c->arena, (n + 1) * sizeof(char *)))) {
		c->oom = 1;
		return;
	}
	dst->count = 0;
	for (size_t i = 0; i < n; i++) {
		const platci_node *it = seq ? platci_node_item_at(v, i) : v;
		const char *s = platci_node_scalar(it, NULL);
		if (!s || platci_node_is_null(it)) {
			platci_rulefile__error(c, it, "\"%s\" must be a list of strings", k->name);
			continue;
		}
		if (k->type == RF_ENVS)
			platci_rulefile__env(c, it, s, k->name);
		dst->items[dst->count++] = s;
	}
}

static void *objects(rf_ctx *c, const rf_table *t, size_t n)
{
	char *items = platci_arena_zalloc(c->arena, (n ? n : 1) * t->size);

	if (!items) {
		c->oom = 1;
		return NULL;
	}
	for (size_t i = 0; t->init && i < n; i++)
		t->init(items + i * t->size);
	return items;
}

static void list(rf_ctx *c, const rf_key *k, const platci_node *v, rf_list *dst)
{
	size_t n = platci_node_count(v);
	char *items;

	if (platci_node_type_of(v) != PLATCI_NODE_SEQUENCE || ((k->flags & RF_NONEMPTY) && !n)) {
		platci_rulefile__error(c, v, "\"%s\" must be a %slist, each item %s", k->name,
			k->flags & RF_NONEMPTY ? "non-empty " : "", k->table->what);
		return;
	}
	if (!(items = objects(c, k->table, n)))
		return;
	dst->items = items;
	dst->count = n;
	for (size_t i = 0; i < n; i++)
		walk_in(c, platci_node_item_at(v, i), k->table, items + i * k->table->size, NULL);
}

static void value(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst);

/* A mapping keyed by environment name (or one of k->values). */
static void env_map(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	size_t n = platci_node_count(v);
	char *items = NULL;

	if (platci_node_type_of(v) != PLATCI_NODE_MAPPING) {
		platci_rulefile__error(c, v, "\"%s\" must map environment names to %s", k->name,
			k->table ? k->table->what : "values");
		return;
	}
	if (k->table && !(items = objects(c, k->table, n)))
		return;
	for (size_t i = 0; i < n; i++) {
		const platci_node *kn = platci_node_key_at(v, i), *vn = platci_node_value_at(v, i);
		const char *name = platci_node_scalar(kn, NULL);
		int extra = 0;

		if (!name) {
			platci_rulefile__error(c, kn, "keys of \"%s\" must be environment names", k->name);
			continue;
		}
		for (size_t j = 0; k->values && k->values[j]; j++)
			extra |= strcmp(k->values[j], name) == 0;
		if (!extra)
			platci_rulefile__env(c, kn, name, k->name);
		if (k->table)
			walk_in(c, vn, k->table, items + i * k->table->size, name);
		else if (k->value)
			value(c, k->value, vn, NULL);
	}
	if (k->table) {
		((rf_list *)dst)->items = items;
		((rf_list *)dst)->count = n;
	} else {
		*(const platci_node **)dst = v;
	}
}

/* Checks @p v against row @p k and stores it at @p dst (NULL: check only). */
static void value(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	const char *s = NULL;
	size_t before = c->errors;
	union {
		int i;
		long l;
		double d;
		rf_strs list;
		rf_expiry exp;
	} scratch;

	if (!dst)
		dst = &scratch;
	switch (k->type) {
	case RF_STR:
	case RF_ENV:
		if (!(s = scalar_of(c, k, v)))
			return;
		if (k->type == RF_ENV)
			platci_rulefile__env(c, v, s, k->name);
		*(const char **)dst = s;
		break;
	case RF_BOOL:
		if (platci_node_is(v, "true") || platci_node_is(v, "false"))
			*(int *)dst = platci_node_is(v, "true");
		else
			platci_rulefile__error(c, v, "\"%s\" must be true or false", k->name);
		break;
	case RF_INT:
	case RF_NUM:
		if ((s = scalar_of(c, k, v)) != NULL)
			number(c, k, v, s, dst);
		break;
	case RF_ENUM:
		if ((s = scalar_of(c, k, v)) != NULL)
			enum_value(c, k, v, s, dst);
		break;
	case RF_EXPIRY:
		if ((s = scalar_of(c, k, v)) != NULL)
			expiry(c, k, v, s, dst);
		break;
	case RF_STRS:
	case RF_ENVS:
		strs(c, k, v, dst);
		break;
	case RF_ENV_MAP:
		env_map(c, k, v, dst);
		break;
	case RF_MAP:
		walk_in(c, v, k->table, dst, NULL);
		break;
	case RF_LIST:
		list(c, k, v, dst);
		break;
	case RF_NODE:
		*(const platci_node **)dst = v;
		break;
	case RF_VERSION:
		if (!platci_node_is(v, "1")) {
			platci_rulefile__error(c, v,
				"unsupported version \"%s\" (this platci reads "
				"version 1)",
				platci_node_scalar(v, NULL) ? platci_node_scalar(v, NULL) : "?");
			c->version_error = 1;
		}
		break;
	case RF_ANY:
	case RF_CUSTOM:
	case RF_EMBED:
	case RF_SELF:
	case RF_MAPKEY:
		break;
	}
	/* a row's own parser runs on what passed the type check */
	if (k->parse && c->errors == before)
		k->parse(c, k, v, dst);
}

void platci_rulefile__value(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	value(c, k, v, dst);
}

/* ---- mappings ---------------------------------------------------------------------------- */

/* The row for @p name in @p t or a table it embeds; *off gets the embedded struct's offset. */
static const rf_key *row(const rf_table *t, const char *name, size_t *off)
{
	for (size_t i = 0; i < t->nkeys; i++) {
		const rf_key *k = &t->keys[i];
		size_t inner = 0;
		const rf_key *found;
		if (k->type == RF_EMBED && (found = row(k->table, name, &inner)) != NULL) {
			*off = k->offset + inner;
			return found;
		}
		if (k->name && strcmp(k->name, name) == 0) {
			*off = 0;
			return k;
		}
	}
	return NULL;
}

static void names_of(const rf_table *t, const char **out, size_t *n)
{
	for (size_t i = 0; i < t->nkeys && *n < MAX_NAMES; i++) {
		if (t->keys[i].type == RF_EMBED)
			names_of(t->keys[i].table, out, n);
		else if (t->keys[i].name)
			out[(*n)++] = t->keys[i].name;
	}
}

static void unknown_key(rf_ctx *c, const rf_table *t, const platci_node *kn, const char *key)
{
	const char *names[MAX_NAMES], *near;
	char known[600];
	size_t n = 0;

	names_of(t, names, &n);
	if ((near = platci_rulefile__suggest(key, names, n)) != NULL) {
		platci_rulefile__error(c, kn, "unknown key \"%s\" in %s; did you mean \"%s\"?", key,
			t->what, near);
		return;
	}
	list_names(known, sizeof(known), names, n);
	platci_rulefile__error(c, kn, "unknown key \"%s\" in %s (%s)", key, t->what, known);
}

/* Every row of @p t (and what it embeds) against @p map, values stored into @p obj. */
static void rows(rf_ctx *c, const platci_node *map, const rf_table *t, const rf_table *top,
	char *obj, const char *mapkey)
{
	for (size_t i = 0; i < t->nkeys; i++) {
		const rf_key *k = &t->keys[i];
		const platci_node *v;

		if (k->type == RF_EMBED) {
			size_t before = c->errors;
			rows(c, map, k->table, top, obj + k->offset, mapkey);
			if (k->table->check && c->errors == before && !c->oom)
				k->table->check(c, map, obj + k->offset);
			continue;
		}
		if (k->type == RF_SELF || k->type == RF_MAPKEY) {
			void *at = obj + k->offset; /* the row's offset is of a pointer field */
			if (k->type == RF_SELF)
				*(const platci_node **)at = map;
			else
				*(const char **)at = mapkey;
			continue;
		}
		v = platci_node_get(map, k->name);
		/* an empty list or mapping may be written as nothing at all */
		if (v && platci_node_is_null(v) &&
			(k->type == RF_LIST || k->type == RF_MAP || k->type == RF_ENV_MAP ||
				k->type == RF_STRS || k->type == RF_ENVS))
			v = NULL;
		if (!v) {
			if (k->flags & RF_REQUIRED)
				platci_rulefile__error(c, map, "%s needs \"%s\"", top->what, k->name);
			continue;
		}
		value(c, k, v, obj + k->offset);
	}
}

static void walk_in(rf_ctx *c, const platci_node *map, const rf_table *t, void *obj, const char *mapkey)
{
	size_t before = c->errors;

	if (platci_node_type_of(map) != PLATCI_NODE_MAPPING) {
		platci_rulefile__error(c, map, "%s must be a mapping", t->what);
		return;
	}
	for (size_t i = 0; i < platci_node_count(map); i++) {
		const platci_node *kn = platci_node_key_at(map, i);
		const char *key = platci_node_scalar(kn, NULL);
		size_t off;

		if (!key)
			platci_rulefile__error(c, kn, "keys in %s must be strings", t->what);
		else if (strcmp(key, "<<") != 0 && !row(t, key, &off))
			unknown_key(c, t, kn, key);
	}
	rows(c, map, t, t, obj, mapkey);
	/* rules across keys only make sense over keys that are each right */
	if (t->check && c->errors == before && !c->oom)
		t->check(c, map, obj);
}

void platci_rulefile__walk(rf_ctx *c, const platci_node *map, const rf_table *t, void *obj)
{
	walk_in(c, map, t, obj, NULL);
}

int platci_rulefile__root(rf_ctx *c, const platci_doc *doc, const platci_node **root)
{
	*root = platci_doc_root_at(doc, 0);
	if (platci_doc_count(doc) > 1) {
		platci_rulefile__error(c, platci_doc_root_at(doc, 1),
			"%s holds one YAML document, not %zu", c->file, platci_doc_count(doc));
		*root = NULL;
		return PLATCI_EDATA;
	}
	return 0;
}
