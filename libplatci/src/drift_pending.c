/*
 * What waits to be promoted into an environment: computed from the two
 * version sets (platci/versions.h), or read from a JSON list that the
 * promotion module (or a test) wrote.
 */
#include <stdlib.h>
#include <string.h>

#include "drift_internal.h"
#include "platci/json.h"
#include "platci/versions.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_drift_pending_set {
	platci_arena arena;
	platci_drift_pending *items;
	size_t count;
};

size_t platci_drift_pending_set_count(const platci_drift_pending_set *s)
{
	return s ? s->count : 0;
}

const platci_drift_pending *platci_drift_pending_set_items(const platci_drift_pending_set *s)
{
	return s ? s->items : NULL;
}

void platci_drift_pending_set_free(platci_drift_pending_set *s)
{
	if (!s)
		return;
	free(s->items);
	platci_arena_dispose(&s->arena);
	free(s);
}

static int set_new(platci_drift_pending_set **out, size_t capacity)
{
	platci_drift_pending_set *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return PLATCI_ENOMEM;
	platci_arena_init(&s->arena, 4096);
	if (capacity && !(s->items = calloc(capacity, sizeof(*s->items)))) {
		platci_drift_pending_set_free(s);
		return PLATCI_ENOMEM;
	}
	*out = s;
	return 0;
}

static const char *keep(platci_drift_pending_set *s, const char *v, int *oom)
{
	const char *k;

	if (!v)
		return NULL;
	if (!(k = platci_arena_strdup(&s->arena, v)))
		*oom = 1;
	return k;
}

static int add(platci_drift_pending_set *s, const char *identity, const char *file, size_t line,
	const char *current, const char *source_value)
{
	platci_drift_pending *p = &s->items[s->count];
	int oom = 0;

	p->identity = keep(s, identity, &oom);
	p->file = keep(s, file, &oom);
	p->line = line;
	p->current = keep(s, current, &oom);
	p->source_value = keep(s, source_value, &oom);
	if (oom)
		return PLATCI_ENOMEM;
	s->count++;
	return 0;
}

int platci_drift_pending_from_versions(platci_drift_pending_set **out, const platci_config *cfg,
	const char *env, platci_diag *diag)
{
	platci_drift_pending_set *s = NULL;
	platci_versions *here = NULL, *from = NULL;
	platci_vdiff *d = NULL;
	const platci_env *e;
	int error = 0;

	PLATCI_ASSERT_ARG(out && cfg && env);
	*out = NULL;
	if (!(e = platci_config_env(cfg, env))) {
		platci_diag_entry de = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND,
			platci_config_path(cfg), 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &de, "no environment named \"%s\"", env);
		return PLATCI_ENOTFOUND;
	}
	/* The first environment promotes from none: nothing can wait for it. */
	if (!e->promote_from)
		return set_new(out, 0);
	if ((error = platci_versions_load(&from, cfg, e->promote_from, NULL, diag)) < 0 ||
		(error = platci_versions_load(&here, cfg, e->name, NULL, diag)) < 0 ||
		(error = platci_versions_diff(&d, from, here)) < 0 ||
		(error = set_new(&s, platci_vdiff_count(d))) < 0)
		goto done;
	/* Pins only in one of the two are environment-specific, not pending. */
	for (size_t i = 0; i < platci_vdiff_count(d); i++) {
		const platci_vdiff_entry *v = platci_vdiff_at(d, i);
		if (v->kind == PLATCI_VDIFF_CHANGED &&
			(error = add(s, v->key, v->target->file, v->target->line, v->target->value,
				 v->source->value)) < 0)
			goto done;
	}
	*out = s;
	s = NULL;
done:
	platci_drift_pending_set_free(s);
	platci_vdiff_free(d);
	platci_versions_free(here);
	platci_versions_free(from);
	return error;
}

static int pending_error(platci_diag *diag, const char *path, size_t line, const char *msg, size_t index)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, path, line, line ? 1 : 0, 0, NULL, NULL };

	if (index == (size_t)-1)
		platci_diag_add(diag, &e, "%s", msg);
	else
		platci_diag_add(diag, &e, "pending[%zu] %s", index, msg);
	return PLATCI_EDATA;
}

int platci_drift_pending_load(platci_drift_pending_set **out, const char *path, platci_diag *diag)
{
	platci_drift_pending_set *s = NULL;
	json_t *root = NULL, *item;
	size_t i;
	int error;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = platci_json_load_file(&root, path, 0, diag)) < 0)
		return error;
	if (!json_is_array(root)) {
		error = pending_error(diag, path, 1,
			"pending promotions must be a JSON array of objects", (size_t)-1);
		goto done;
	}
	if ((error = set_new(&s, json_array_size(root))) < 0)
		goto done;
	json_array_foreach (root, i, item) {
		json_t *line = json_object_get(item, "line");
		if (!platci_json_str(item, "identity")) {
			error = pending_error(diag, path, 0, "has no \"identity\" string", i);
			goto done;
		}
		if ((error = add(s, platci_json_str(item, "identity"), platci_json_str(item, "file"),
			     json_is_integer(line) && json_integer_value(line) > 0
				     ? (size_t)json_integer_value(line)
				     : 0,
			     platci_json_str(item, "current"), platci_json_str(item, "source"))) < 0)
			goto done;
	}
	*out = s;
	s = NULL;
done:
	platci_drift_pending_set_free(s);
	json_decref(root);
	return error;
}
