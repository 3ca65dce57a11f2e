/* Streaming reader of `kubectl get <flux kinds> -A -o json` into platci_flux_object records. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "platci/fluxstatus.h"
#include "platci/json_stream.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/banned.h"

/* An object and its place in reading order (for stable lookups among duplicates). */
typedef struct obj_rec {
	platci_flux_object pub; /* first: a platci_flux_object * is an obj_rec * */
	size_t seq;
} obj_rec;

struct platci_flux_status {
	platci_arena arena;
	platci_flux_object **objects; /* arena-owned objects; the array is ours */
	size_t count, alloc;
	platci_flux_object **index; /* the same objects sorted by kind, namespace, name, order */
	size_t indexed;
	size_t max_objects, max_object_bytes;
};

/* One file's reading state: the envelope's top-level pieces and the first error. */
typedef struct reader {
	platci_flux_status *st;
	const char *name; /* arena copy of the file name */
	platci_diag *diag;
	json_t *top[5]; /* apiVersion, kind, metadata, spec, status at the root */
	size_t top_line;
	size_t items;
} reader;

enum { TOP_API, TOP_KIND, TOP_META, TOP_SPEC, TOP_STATUS, ID_ITEM = 10 };
static const char *const top_keys[5] = { "apiVersion", "kind", "metadata", "spec", "status" };

static const struct {
	const char *name;
	platci_flux_kind kind;
} kinds[] = {
	{ "Kustomization", PLATCI_FLUX_KUSTOMIZATION },
	{ "HelmRelease", PLATCI_FLUX_HELMRELEASE },
	{ "GitRepository", PLATCI_FLUX_GITREPOSITORY },
	{ "OCIRepository", PLATCI_FLUX_OCIREPOSITORY },
	{ "HelmRepository", PLATCI_FLUX_HELMREPOSITORY },
	{ "Bucket", PLATCI_FLUX_BUCKET },
	{ "HelmChart", PLATCI_FLUX_HELMCHART },
	{ "ExternalArtifact", PLATCI_FLUX_EXTERNALARTIFACT },
};

platci_flux_kind platci_flux_kind_parse(const char *name)
{
	for (size_t i = 0; name && i < PLATCI_ARRAY_SIZE(kinds); i++)
		if (strcasecmp(kinds[i].name, name) == 0)
			return kinds[i].kind;
	return PLATCI_FLUX_UNKNOWN;
}

const char *platci_flux_kind_name(platci_flux_kind kind)
{
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(kinds); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return "Unknown";
}

int platci_flux_kind_is_source(platci_flux_kind kind)
{
	return kind >= PLATCI_FLUX_GITREPOSITORY && kind <= PLATCI_FLUX_EXTERNALARTIFACT;
}

int platci_flux_status_options_init(platci_flux_status_options *opts, unsigned int version)
{
	platci_flux_status_options d = PLATCI_FLUX_STATUS_OPTIONS_INIT;

	PLATCI_ASSERT_ARG(opts);
	if (version != PLATCI_FLUX_STATUS_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = d;
	return 0;
}

int platci_flux_status_new(platci_flux_status **out, const platci_flux_status_options *opts)
{
	platci_flux_status *st;

	PLATCI_ASSERT_ARG(out);
	*out = NULL;
	if (opts && opts->version != PLATCI_FLUX_STATUS_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if (!(st = calloc(1, sizeof(*st))))
		return PLATCI_ENOMEM;
	platci_arena_init(&st->arena, 0);
	st->max_objects = opts && opts->max_objects ? opts->max_objects : 1000000;
	st->max_object_bytes = opts && opts->max_object_bytes ? opts->max_object_bytes : 16u * 1024 * 1024;
	*out = st;
	return 0;
}

void platci_flux_status_free(platci_flux_status *st)
{
	if (!st)
		return;
	platci_arena_dispose(&st->arena);
	free(st->objects);
	free(st->index);
	free(st);
}

size_t platci_flux_status_count(const platci_flux_status *st)
{
	return st ? st->count : 0;
}

const platci_flux_object *platci_flux_status_at(const platci_flux_status *st, size_t i)
{
	return st && i < st->count ? st->objects[i] : NULL;
}

static int cmp_key(platci_flux_kind kind, const char *ns, const char *name, const platci_flux_object *o)
{
	int r;
	if (kind != o->kind)
		return kind < o->kind ? -1 : 1;
	if ((r = strcmp(ns ? ns : "", o->namespace_ ? o->namespace_ : "")) != 0)
		return r;
	return strcmp(name, o->name);
}

static int cmp_index(const void *pa, const void *pb)
{
	const platci_flux_object *a = *(platci_flux_object *const *)pa;
	const platci_flux_object *b = *(platci_flux_object *const *)pb;
	size_t sa = ((const obj_rec *)a)->seq, sb = ((const obj_rec *)b)->seq;
	int r = cmp_key(a->kind, a->namespace_, a->name, b);
	/* Equal keys keep reading order, so find() returns the first one read. */
	return r ? r : sa < sb ? -1 : sa > sb;
}

/* Sorted lookups: dependsOn and sourceRef checks stay fast on clusters with many objects. */
static int rebuild_index(platci_flux_status *st)
{
	platci_flux_object **idx = realloc(st->index, (st->count ? st->count : 1) * sizeof(*idx));
	if (!idx)
		return PLATCI_ENOMEM;
	st->index = idx;
	if (st->count)
		memcpy(idx, st->objects, st->count * sizeof(*idx));
	st->indexed = st->count;
	if (st->count)
		qsort(idx, st->count, sizeof(*idx), cmp_index);
	return 0;
}

const platci_flux_object *platci_flux_status_find(const platci_flux_status *st,
	platci_flux_kind kind, const char *namespace_, const char *name)
{
	size_t lo = 0, hi;
	const platci_flux_object *hit = NULL;

	if (!st || !name)
		return NULL;
	hi = st->indexed;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cmp_key(kind, namespace_, name, st->index[mid]);
		if (r <= 0) {
			if (r == 0)
				hit = st->index[mid];
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return hit;
}

const platci_flux_condition *platci_flux_object_condition(const platci_flux_object *obj, const char *type)
{
	for (size_t i = 0; obj && type && i < obj->nconditions; i++)
		if (obj->conditions[i].type && strcmp(obj->conditions[i].type, type) == 0)
			return &obj->conditions[i];
	return NULL;
}

platci_flux_cond_status platci_flux_object_cond(const platci_flux_object *obj, const char *type)
{
	const platci_flux_condition *c = platci_flux_object_condition(obj, type);
	return c ? c->status : PLATCI_FLUX_COND_ABSENT;
}

int platci_flux_object_is_ready(const platci_flux_object *obj)
{
	if (!obj || platci_flux_object_cond(obj, "Ready") != PLATCI_FLUX_COND_TRUE)
		return 0;
	return obj->generation < 0 || obj->observed_generation >= obj->generation;
}

/* ---- building one object from its JSON ------------------------------ */

static const char *dig_str(const json_t *v, const char *a, const char *b, const char *c)
{
	const char *keys[3] = { a, b, c };
	for (size_t i = 0; i < 3 && keys[i] && v; i++)
		v = json_object_get(v, keys[i]);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *keep(platci_arena *a, const char *s, int *oom)
{
	char *copy;
	if (!s)
		return NULL;
	if (!(copy = platci_arena_strdup(a, s)))
		*oom = 1;
	return copy;
}

static long long int_or(const json_t *v, long long dflt)
{
	return json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
}

static platci_flux_cond_status cond_status(const char *s)
{
	if (!s)
		return PLATCI_FLUX_COND_UNKNOWN;
	if (strcmp(s, "True") == 0)
		return PLATCI_FLUX_COND_TRUE;
	if (strcmp(s, "False") == 0)
		return PLATCI_FLUX_COND_FALSE;
	return PLATCI_FLUX_COND_UNKNOWN;
}

static void set_ref(platci_arena *a, platci_flux_ref *ref, const json_t *j, const char *dflt_ns, int *oom)
{
	const char *ns;
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "name")))
		return;
	ns = dig_str(j, "namespace", NULL, NULL);
	ref->kind = keep(a, dig_str(j, "kind", NULL, NULL), oom);
	ref->name = keep(a, dig_str(j, "name", NULL, NULL), oom);
	ref->namespace_ = keep(a, ns ? ns : dflt_ns, oom);
}

static int is_eol_api(const char *api)
{
	const char *slash = api ? strrchr(api, '/') : NULL;
	return slash && strstr(slash, "beta") != NULL;
}

static int add_object(reader *r, const json_t *api, const json_t *kind, const json_t *meta,
	const json_t *spec, const json_t *status, size_t line)
{
	platci_flux_status *st = r->st;
	platci_arena *a = &st->arena;
	platci_flux_object *o;
	const json_t *conds, *deps, *hist;
	const char *ns;
	int oom = 0;

	if (!json_is_string(kind) || !json_is_string(json_object_get(meta, "name"))) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r->name, line, 0, 0, NULL, NULL };
		platci_diag_add(r->diag, &e,
			"item %zu is not a Kubernetes object (no kind or "
			"metadata.name)",
			r->items);
		return PLATCI_EDATA;
	}
	if (st->count >= st->max_objects) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, r->name, line, 0, 0, NULL, NULL };
		platci_diag_add(r->diag, &e, "more than %zu objects", st->max_objects);
		return PLATCI_ELIMIT;
	}
	if (platci__grow_array((void **)&st->objects, &st->alloc, st->count + 1, sizeof(*st->objects)) < 0)
		return PLATCI_ENOMEM;
	{
		obj_rec *rec = platci_arena_zalloc(a, sizeof(*rec));
		if (!rec)
			return PLATCI_ENOMEM;
		rec->seq = st->count;
		o = &rec->pub;
	}

	ns = dig_str(meta, "namespace", NULL, NULL);
	o->kind_name = keep(a, json_string_value(kind), &oom);
	o->kind = platci_flux_kind_parse(o->kind_name);
	o->api_version = keep(a, json_is_string(api) ? json_string_value(api) : NULL, &oom);
	o->eol_api = is_eol_api(o->api_version);
	o->name = keep(a, dig_str(meta, "name", NULL, NULL), &oom);
	o->namespace_ = keep(a, ns, &oom);
	o->generation = int_or(json_object_get(meta, "generation"), -1);
	o->observed_generation = int_or(json_object_get(status, "observedGeneration"), -1);
	o->suspended = json_is_true(json_object_get(spec, "suspend"));
	o->last_applied_revision = keep(a, dig_str(status, "lastAppliedRevision", NULL, NULL), &oom);
	o->last_attempted_revision = keep(a, dig_str(status, "lastAttemptedRevision", NULL, NULL), &oom);
	o->last_applied_origin_revision =
		keep(a, dig_str(status, "lastAppliedOriginRevision", NULL, NULL), &oom);
	o->artifact_revision = keep(a, dig_str(status, "artifact", "revision", NULL), &oom);
	o->helm_chart = keep(a, dig_str(status, "helmChart", NULL, NULL), &oom);
	o->chart_version = keep(a,
		o->kind == PLATCI_FLUX_HELMCHART ? dig_str(spec, "version", NULL, NULL)
						 : dig_str(spec, "chart", "spec", "version"),
		&oom);
	hist = json_object_get(status, "history");
	if (json_is_array(hist) && json_array_size(hist) > 0)
		o->history_chart_version =
			keep(a, dig_str(json_array_get(hist, 0), "chartVersion", NULL, NULL), &oom);
	o->ref_branch = keep(a, dig_str(spec, "ref", "branch", NULL), &oom);
	o->ref_tag = keep(a, dig_str(spec, "ref", "tag", NULL), &oom);
	o->ref_semver = keep(a, dig_str(spec, "ref", "semver", NULL), &oom);
	o->ref_name = keep(a, dig_str(spec, "ref", "name", NULL), &oom);
	o->ref_commit = keep(a, dig_str(spec, "ref", "commit", NULL), &oom);
	o->ref_digest = keep(a, dig_str(spec, "ref", "digest", NULL), &oom);
	if (platci_flux_kind_is_source(o->kind))
		o->url = keep(a, dig_str(spec, "url", NULL, NULL), &oom);
	o->file = r->name;
	o->line = line;

	if (json_object_get(spec, "sourceRef"))
		set_ref(a, &o->source, json_object_get(spec, "sourceRef"), ns, &oom);
	else if (json_object_get(spec, "chartRef"))
		set_ref(a, &o->source, json_object_get(spec, "chartRef"), ns, &oom);
	else if (json_object_get(spec, "chart"))
		set_ref(a, &o->source,
			json_object_get(json_object_get(json_object_get(spec, "chart"), "spec"), "sourceRef"),
			ns, &oom);

	conds = json_object_get(status, "conditions");
	if (json_is_array(conds) && json_array_size(conds) > 0) {
		platci_flux_condition *c = platci_arena_zalloc(a, json_array_size(conds) * sizeof(*c));
		size_t n = 0;
		if (!c)
			return PLATCI_ENOMEM;
		for (size_t i = 0; i < json_array_size(conds); i++) {
			const json_t *j = json_array_get(conds, i);
			if (!json_is_string(json_object_get(j, "type")))
				continue;
			c[n].type = keep(a, dig_str(j, "type", NULL, NULL), &oom);
			c[n].status = cond_status(dig_str(j, "status", NULL, NULL));
			c[n].reason = keep(a, dig_str(j, "reason", NULL, NULL), &oom);
			c[n].message = keep(a, dig_str(j, "message", NULL, NULL), &oom);
			n++;
		}
		o->conditions = c;
		o->nconditions = n;
	}
	deps = json_object_get(spec, "dependsOn");
	if (json_is_array(deps) && json_array_size(deps) > 0) {
		platci_flux_ref *d = platci_arena_zalloc(a, json_array_size(deps) * sizeof(*d));
		size_t n = 0;
		if (!d)
			return PLATCI_ENOMEM;
		for (size_t i = 0; i < json_array_size(deps); i++) {
			set_ref(a, &d[n], json_array_get(deps, i), ns, &oom);
			if (d[n].name)
				n++;
		}
		o->depends_on = d;
		o->ndepends_on = n;
	}
	if (oom)
		return PLATCI_ENOMEM;
	st->objects[st->count++] = o;
	return 0;
}

static int on_event(const platci_json_event *ev, void *payload)
{
	reader *r = payload;

	if (ev->id == ID_ITEM) {
		r->items++;
		if (!json_is_object(ev->value)) {
			platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r->name, ev->line,
				0, ev->offset, NULL, NULL };
			platci_diag_add(r->diag, &e, "items[%zu] is not an object", ev->index);
			return PLATCI_EDATA;
		}
		return add_object(r, json_object_get(ev->value, "apiVersion"),
			json_object_get(ev->value, "kind"), json_object_get(ev->value, "metadata"),
			json_object_get(ev->value, "spec"), json_object_get(ev->value, "status"),
			ev->line);
	}
	if (ev->id >= TOP_API && ev->id <= TOP_STATUS) {
		json_decref(r->top[ev->id]);
		r->top[ev->id] = json_incref(ev->value);
		r->top_line = ev->line;
	}
	return 0;
}

/* Runs the stream over a file (data NULL) or a buffer, then handles a lone object. */
static int read_any(platci_flux_status *st, const char *name, const char *path, const char *data,
	size_t len, platci_diag *diag)
{
	platci_json_stream_options sopts = PLATCI_JSON_STREAM_OPTIONS_INIT;
	platci_json_stream *s = NULL;
	size_t before = st ? st->count : 0;
	reader r;
	const char *kind;
	int error = 0;

	PLATCI_ASSERT_ARG(st && name);
	memset(&r, 0, sizeof(r));
	r.st = st;
	r.diag = diag;
	if (!(r.name = platci_arena_strdup(&st->arena, name)))
		return PLATCI_ENOMEM;
	sopts.name = name;
	sopts.max_value_bytes = st->max_object_bytes;
	if ((error = platci_json_stream_new(&s, &sopts)) < 0)
		goto done;
	for (int i = TOP_API; i <= TOP_STATUS; i++)
		if ((error = platci_json_stream_on(s, top_keys[i], PLATCI_JSON_STREAM_VALUE, i,
			     on_event, &r)) < 0)
			goto done;
	if ((error = platci_json_stream_on(s, "items[*]", PLATCI_JSON_STREAM_VALUE, ID_ITEM,
		     on_event, &r)) < 0)
		goto done;
	if (data) {
		if ((error = platci_json_stream_feed(s, data, len, diag)) < 0 ||
			(error = platci_json_stream_finish(s, diag)) < 0)
			goto done;
	} else if ((error = platci_json_stream_file(s, path, diag)) < 0) {
		goto done;
	}
	if (platci_json_stream_root_type(s) != JSON_OBJECT) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, name, 1, 1, 0, NULL, NULL };
		platci_diag_add(diag, &e,
			"not a Kubernetes List or object: the top level is not "
			"a JSON object");
		error = PLATCI_EDATA;
		goto done;
	}
	kind = json_string_value(r.top[TOP_KIND]);
	if (kind && strcmp(kind, "List") == 0) {
		/* The envelope: its items were delivered already. */
	} else if (kind) {
		error = add_object(&r, r.top[TOP_API], r.top[TOP_KIND], r.top[TOP_META],
			r.top[TOP_SPEC], r.top[TOP_STATUS], r.top_line);
	} else {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, name, 1, 1, 0, NULL, NULL };
		platci_diag_add(diag, &e,
			"not a Kubernetes List or object: no \"kind\" at the top "
			"level (expected the output of kubectl get ... -o json)");
		error = PLATCI_EDATA;
	}
done:
	if (error < 0 && st)
		st->count = before; /* a failed file adds nothing */
	if (st && rebuild_index(st) < 0 && error == 0)
		error = PLATCI_ENOMEM;
	for (int i = TOP_API; i <= TOP_STATUS; i++)
		json_decref(r.top[i]);
	platci_json_stream_free(s);
	return error;
}

int platci_flux_status_read_file(platci_flux_status *st, const char *path, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(path);
	return read_any(st, path, path, NULL, 0, diag);
}

int platci_flux_status_read_buffer(platci_flux_status *st, const char *name, const char *data,
	size_t len, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(data);
	return read_any(st, name ? name : "<buffer>", NULL, data, len, diag);
}
