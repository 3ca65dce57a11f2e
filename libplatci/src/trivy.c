/*
 * Trivy reports, every shape, one pass.
 *
 * The subscriptions use `[*]`, which matches object keys as well as array
 * indices, so one set of patterns covers the five shapes:
 *
 *   [*]                      root key containers (object) or legacy results (array)
 *   [*][*]                   V2 results (under Results) or k8s resources
 *   [*][*].Results[*]        results inside a k8s resource
 *   [*].Vulnerabilities[*]   legacy results' findings
 *
 * Which one an event means is decided from the root type and the root
 * key we are under, so a `Trivy.Server` object never looks like a result.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "platci/trivy.h"
#include "platci/json_stream.h"
#include "trivy_finding.h"
#include "util/common.h"
#include "util/banned.h"

enum {
	S_ROOT = 1, /* [*] enter/exit */
	S_SCHEMA,
	S_ANAME,
	S_ATYPE,
	S_CLUSTER,
	S_META,
	S_TRIVY_VERSION,
	S_L2, /* [*][*] enter/exit */
	S_L2_TARGET,
	S_L2_CLASS,
	S_L2_TYPE,
	S_L2_NS,
	S_L2_KIND,
	S_L2_NAME,
	S_L2_META,
	S_L3,
	S_L3_TARGET,
	S_L3_CLASS,
	S_L3_TYPE,
	S_L1_TARGET,
	S_L1_CLASS,
	S_L1_TYPE,
	/*
	 * Findings: S_FIND + 40 * place + 10 * kind + part, where place is one
	 * of the three below and part one of TF_PART_* (trivy_finding.h): the
	 * finding itself, its members, and the few containers inside it platci
	 * reads. Nothing else inside a finding is even tracked.
	 */
	S_FIND = 100
};

enum { AT_RESULTS = 0, AT_RESOURCES = 1, AT_LEGACY = 2 };

static const char *const find_keys[PLATCI_TRIVY_KINDS] = { "Vulnerabilities", "Misconfigurations",
	"Secrets", "Licenses" };

typedef struct queued {
	trivy_record rec;
	size_t line;
} queued;

typedef struct reader {
	platci_json_stream *s;
	platci_trivy_cb cb;
	void *payload;
	platci_diag *diag;
	const char *name;
	platci_trivy_stats *stats;
	int error;

	char root_key[32]; /* root key whose container we are in ("" when none) */
	int in_results, in_resources; /* under Results; under a k8s list of resources */
	int saw_trivy_key; /* a key only a Trivy report has */
	int saw_results_key;
	long schema_version;
	char *artifact_name, *artifact_type, *cluster;
	char *meta_image, *meta_os;

	int in_resource;
	char *ns, *kind, *rname, *res_image, *res_os, *res_last_image, *res_last_os;

	int in_result;
	int result_has_target;
	char *target, *rclass, *rtype;
	char *t_image, *t_os; /* the target split once, not per finding */
	char *resource; /* "ns/Kind/name", built once per resource */
	trivy_record rec; /* the finding being read */
	queued *queue;
	size_t nqueue, aqueue;
} reader;

/* ---- helpers ---------------------------------------------------------------- */

static int data_error(reader *r, size_t line, const char *fmt, ...) PLATCI_PRINTF(3, 4);

/* A bad report: the diagnostic at @p line, and the reader remembers it failed. */
static int data_error(reader *r, size_t line, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = platci_diag_verror(r->diag, PLATCI_EDATA, r->name, line, 0, 0, fmt, ap);
	va_end(ap);
	r->error = PLATCI_EDATA;
	return error;
}

static int set_str(char **dst, const char *s)
{
	char *copy = NULL;

	if (s && !(copy = platci__strdup(s)))
		return PLATCI_ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

/* A string field, or a data error when present with another type. */
static int want_string(reader *r, const platci_json_event *ev, const char *what, char **dst)
{
	if (json_is_null(ev->value))
		return set_str(dst, NULL);
	if (!json_is_string(ev->value))
		return data_error(r, ev->line, "%s must be a string", what);
	return set_str(dst, json_string_value(ev->value));
}

/* "alpine:3.10 (alpine 3.10.2)" -> image "alpine:3.10", os "alpine 3.10.2". */
static int split_target(const char *target, char **image, char **os)
{
	const char *open = strstr(target, " (");
	size_t n = strlen(target);

	if (!open || n < 3 || target[n - 1] != ')')
		return 0;
	if (image && !(*image = platci__strndup(target, (size_t)(open - target))))
		return PLATCI_ENOMEM;
	if (os && !(*os = platci__strndup(open + 2, n - (size_t)(open - target) - 3)))
		return PLATCI_ENOMEM;
	return 1;
}

/* Metadata object (V2 root) or one element of a k8s resource's Metadata array. */
static int read_metadata(const json_t *m, char **image, char **os)
{
	const json_t *tags = json_object_get(m, "RepoTags");
	const json_t *osv = json_object_get(m, "OS");
	const char *tag = json_string_value(json_array_get(tags, 0));
	int error;

	if (!json_is_object(m))
		return 0;
	if (tag && *tag && !*image && (error = set_str(image, tag)) < 0)
		return error;
	if (!tag && !*image) {
		const char *ref = json_string_value(json_object_get(m, "Reference"));
		if (ref && *ref && (error = set_str(image, ref)) < 0)
			return error;
	}
	if (json_is_object(osv) && !*os) {
		const char *fam = json_string_value(json_object_get(osv, "Family"));
		const char *name = json_string_value(json_object_get(osv, "Name"));
		if (fam && *fam) {
			size_t n = strlen(fam) + (name ? strlen(name) : 0) + 2;
			char *s = malloc(n);
			if (!s)
				return PLATCI_ENOMEM;
			snprintf(s, n, "%s%s%s", fam, name && *name ? " " : "", name ? name : "");
			*os = s;
		}
	}
	return 0;
}

static void reset_result(reader *r)
{
	r->in_result = 0;
	r->result_has_target = 0;
	set_str(&r->target, NULL);
	set_str(&r->rclass, NULL);
	set_str(&r->rtype, NULL);
	set_str(&r->t_image, NULL);
	set_str(&r->t_os, NULL);
}

static void reset_resource(reader *r)
{
	r->in_resource = 0;
	set_str(&r->ns, NULL);
	set_str(&r->kind, NULL);
	set_str(&r->rname, NULL);
	set_str(&r->res_image, NULL);
	set_str(&r->res_os, NULL);
	set_str(&r->res_last_image, NULL);
	set_str(&r->res_last_os, NULL);
	set_str(&r->resource, NULL);
}

/* ---- delivering a finding ------------------------------------------------------ */

static int resource_name(reader *r)
{
	size_t n;

	if (r->resource)
		return 0;
	n = (r->ns ? strlen(r->ns) : 0) + (r->kind ? strlen(r->kind) : 0) +
	    (r->rname ? strlen(r->rname) : 0) + 3;
	if (!(r->resource = malloc(n)))
		return PLATCI_ENOMEM;
	if (r->ns && *r->ns)
		snprintf(r->resource, n, "%s/%s/%s", r->ns, r->kind ? r->kind : "",
			r->rname ? r->rname : "");
	else
		snprintf(r->resource, n, "%s/%s", r->kind ? r->kind : "", r->rname ? r->rname : "");
	return 0;
}

static int deliver(reader *r, trivy_record *rec, size_t line)
{
	platci_trivy_kind kind = rec->kind;
	platci_trivy_context ctx;
	int error = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.target = r->target ? r->target : "";
	ctx.result_class = r->rclass;
	ctx.result_type = r->rtype;
	ctx.artifact_type = r->artifact_type;
	if (r->in_resource) {
		if ((error = resource_name(r)) < 0)
			goto done;
		/*
		 * A workload may run several images: Trivy writes each image's os-pkgs
		 * result before its language results, so the latest image target seen in
		 * this resource is the one a language result belongs to. The resource's
		 * Metadata only helps when no target names an image.
		 */
		ctx.resource = r->resource;
		ctx.image = r->res_last_image ? r->res_last_image
			    : r->res_image    ? r->res_image
					      : r->resource;
		ctx.operating_system = r->res_last_os ? r->res_last_os : r->res_os;
		/* A misconfiguration is about the workload's manifest, not its image. */
		if (kind == PLATCI_TRIVY_MISCONFIGURATION)
			ctx.image = r->resource;
	} else if (r->stats->shape == PLATCI_TRIVY_SHAPE_LEGACY) {
		ctx.image = r->t_image ? r->t_image : ctx.target;
		ctx.operating_system = r->t_os;
	} else {
		ctx.image = r->meta_image                           ? r->meta_image
			    : r->artifact_name && *r->artifact_name ? r->artifact_name
			    : r->t_image                            ? r->t_image
								    : ctx.target;
		ctx.operating_system = r->meta_os ? r->meta_os : r->t_os;
	}
	if (!ctx.image || !*ctx.image)
		ctx.image = r->name ? r->name : "unknown";
	error = platci__trivy_finding(r->stats, rec, &ctx, line, r->name, r->diag, r->cb, r->payload);
done:
	if (error < 0 && !r->error)
		r->error = error;
	return error;
}

static int flush_queue(reader *r)
{
	int error = 0;

	for (size_t i = 0; i < r->nqueue; i++) {
		if (!error)
			error = deliver(r, &r->queue[i].rec, r->queue[i].line);
		platci__trivy_record_dispose(&r->queue[i].rec);
	}
	r->nqueue = 0;
	return error;
}

/* The finding has closed. Findings normally follow Target (Go writes it first); hold them when they do not. */
static int finding_done(reader *r, size_t line)
{
	queued *q;

	if (r->result_has_target)
		return deliver(r, &r->rec, line);
	if (platci__grow_array((void **)&r->queue, &r->aqueue, r->nqueue + 1, sizeof(*r->queue)) < 0)
		return PLATCI_ENOMEM;
	q = &r->queue[r->nqueue];
	if (platci__trivy_record_copy(&q->rec, &r->rec) < 0)
		return PLATCI_ENOMEM;
	q->line = line;
	r->nqueue++;
	r->rec.open = 0;
	return 0;
}

/* An element of a findings array: an object opens a record; anything else is an error. */
static int on_finding(reader *r, platci_trivy_kind kind, const platci_json_event *ev)
{
	int error;

	if (ev->key)
		return data_error(r, ev->line, "%s must be an array", find_keys[kind]);
	if (ev->kind == PLATCI_JSON_STREAM_ENTER) {
		platci__trivy_record_open(&r->rec, kind, 0);
		r->rec.not_object = ev->type != JSON_OBJECT;
		return 0;
	}
	if (ev->kind == PLATCI_JSON_STREAM_SCALAR) {
		platci__trivy_record_open(&r->rec, kind, 0);
		r->rec.not_object = 1;
	} else if (!r->rec.open) {
		return 0;
	}
	error = finding_done(r, ev->line);
	if (error < 0 && !r->error)
		r->error = error;
	return error;
}

/* A member of the finding being read. */
static int on_member(reader *r, const platci_json_event *ev, int part)
{
	int error = platci__trivy_record_event(&r->rec, ev, part);

	if (error == PLATCI_ELIMIT) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, r->name, ev->line, 0, 0,
			NULL, NULL };
		platci_diag_add(r->diag, &e,
			"a finding's text is larger than the limit (%zu bytes)", r->rec.max_bytes);
	}
	if (error < 0 && !r->error)
		r->error = error;
	return error;
}

/* The event of a finding subscription, when it is at a place the report's shape has findings. */
static int finding_event(reader *r, const platci_json_event *ev, int root_array)
{
	int n = ev->id - S_FIND, place = n / 40, kind = n % 40 / 10, part = n % 10;
	int valid;

	switch (place) {
	case AT_RESULTS:
		valid = !root_array && r->in_results && r->in_result;
		break;
	case AT_RESOURCES:
		valid = !root_array && r->in_resources && r->in_resource && r->in_result;
		break;
	default:
		valid = root_array;
		break;
	}
	if (!valid)
		return 0;
	if (part == TF_PART_FINDING)
		return on_finding(r, (platci_trivy_kind)kind, ev);
	return on_member(r, ev, part);
}

static int result_field(reader *r, int which, const platci_json_event *ev)
{
	int error;

	switch (which) {
	case 0:
		if ((error = want_string(r, ev, "Result.Target", &r->target)) < 0)
			return error;
		set_str(&r->t_image, NULL);
		set_str(&r->t_os, NULL);
		if (r->target && (error = split_target(r->target, &r->t_image, &r->t_os)) < 0)
			return error;
		if (r->in_resource && r->t_image &&
			((error = set_str(&r->res_last_image, r->t_image)) < 0 ||
				(error = set_str(&r->res_last_os, r->t_os)) < 0))
			return error;
		r->result_has_target = 1;
		return flush_queue(r);
	case 1:
		return want_string(r, ev, "Result.Class", &r->rclass);
	default:
		return want_string(r, ev, "Result.Type", &r->rtype);
	}
}

static int result_enter(reader *r, const platci_json_event *ev)
{
	if (ev->kind == PLATCI_JSON_STREAM_ENTER) {
		reset_result(r);
		r->in_result = 1;
		r->stats->results++;
		return 0;
	}
	{
		int error = flush_queue(r); /* no Target at all: deliver with an empty one */
		reset_result(r);
		return error;
	}
}

/* ---- the stream callback ---------------------------------------------------------- */

static int root_is(const reader *r, const char *k)
{
	return strcmp(r->root_key, k) == 0;
}

static int under_resources(const reader *r)
{
	return root_is(r, "Resources") || root_is(r, "Findings") || root_is(r, "Vulnerabilities") ||
	       root_is(r, "Misconfigurations");
}

/* The shape is known once the root key of the finding containers is. */
static void note_shape(reader *r)
{
	if (r->stats->shape != PLATCI_TRIVY_SHAPE_NONE)
		return;
	if (root_is(r, "Results"))
		r->stats->shape = PLATCI_TRIVY_SHAPE_V2;
	else if (root_is(r, "Resources"))
		r->stats->shape = PLATCI_TRIVY_SHAPE_K8S;
	else if (root_is(r, "Findings"))
		r->stats->shape = PLATCI_TRIVY_SHAPE_K8S_SUMMARY;
	else if (root_is(r, "Vulnerabilities") || root_is(r, "Misconfigurations"))
		r->stats->shape = PLATCI_TRIVY_SHAPE_K8S_OLD;
}

static int on_event(const platci_json_event *ev, void *payload)
{
	reader *r = payload;
	int root_array = platci_json_stream_root_type(r->s) == JSON_ARRAY;
	int id = ev->id;

	if (r->error)
		return r->error;
	if (id >= S_FIND)
		return finding_event(r, ev, root_array);
	if (id == S_ROOT) {
		if (root_array) {
			if (ev->kind == PLATCI_JSON_STREAM_ENTER && ev->key == NULL) {
				r->stats->shape = PLATCI_TRIVY_SHAPE_LEGACY;
				reset_result(r);
				r->in_result = 1;
				r->stats->results++;
				return 0;
			}
			if (ev->kind == PLATCI_JSON_STREAM_EXIT) {
				int error = flush_queue(r);
				if (!error && !r->result_has_target)
					return data_error(r, ev->line,
						"not a Trivy report: element %zu "
						"of the top-level array has no Target",
						ev->index);
				reset_result(r);
				return error;
			}
			return 0;
		}
		if (ev->kind == PLATCI_JSON_STREAM_ENTER) {
			snprintf(r->root_key, sizeof(r->root_key), "%s", ev->key ? ev->key : "");
			note_shape(r);
		} else
			r->root_key[0] = '\0';
		/* asked for every finding's events: known once here */
		r->in_results = root_is(r, "Results");
		r->in_resources = under_resources(r);
		if (ev->key && (strcmp(ev->key, "Results") == 0))
			r->saw_results_key = 1;
		if (ev->key &&
			(strcmp(ev->key, "Results") == 0 || strcmp(ev->key, "Resources") == 0 ||
				strcmp(ev->key, "Findings") == 0 || strcmp(ev->key, "Metadata") == 0))
			r->saw_trivy_key = 1;
		if (ev->key && (strcmp(ev->key, "Vulnerabilities") == 0 ||
				       strcmp(ev->key, "Misconfigurations") == 0))
			r->saw_trivy_key = 1;
		return 0;
	}
	if (root_array) {
		if (id == S_L1_TARGET || id == S_L1_CLASS || id == S_L1_TYPE)
			return result_field(r, id - S_L1_TARGET, ev);
		return 0;
	}
	switch (id) {
	case S_SCHEMA:
		if (!json_is_integer(ev->value))
			return data_error(r, ev->line, "SchemaVersion must be an integer");
		r->schema_version = (long)json_integer_value(ev->value);
		r->saw_trivy_key = 1;
		if (r->schema_version < 0 || r->schema_version > 2) {
			platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EVERSION, r->name,
				ev->line, 0, 0, NULL, NULL };
			platci_diag_add(r->diag, &e,
				"unsupported Trivy SchemaVersion %ld (platci "
				"reads 2 and the older shapes)",
				r->schema_version);
			r->error = PLATCI_EVERSION;
			return PLATCI_EVERSION;
		}
		return 0;
	case S_ANAME:
		r->saw_trivy_key = 1;
		return want_string(r, ev, "ArtifactName", &r->artifact_name);
	case S_ATYPE:
		r->saw_trivy_key = 1;
		return want_string(r, ev, "ArtifactType", &r->artifact_type);
	case S_CLUSTER:
		r->saw_trivy_key = 1;
		return want_string(r, ev, "ClusterName", &r->cluster);
	case S_TRIVY_VERSION:
		if (json_is_string(ev->value))
			snprintf(r->stats->trivy_version, sizeof(r->stats->trivy_version), "%s",
				json_string_value(ev->value));
		return 0;
	case S_META:
		if (ev->kind != PLATCI_JSON_STREAM_VALUE)
			return 0;
		if (!json_is_object(ev->value) && !json_is_null(ev->value))
			return data_error(r, ev->line, "Metadata must be an object");
		return read_metadata(ev->value, &r->meta_image, &r->meta_os);
	default:
		break;
	}
	if (id == S_L2) {
		if (root_is(r, "Results")) {
			if (ev->key)
				return data_error(r, ev->line, "Results must be an array");
			return result_enter(r, ev);
		}
		if (under_resources(r)) {
			if (ev->key)
				return data_error(r, ev->line, "%s must be an array", r->root_key);
			reset_resource(r);
			r->in_resource = ev->kind == PLATCI_JSON_STREAM_ENTER;
			return 0;
		}
		return 0;
	}
	if (id >= S_L2_TARGET && id <= S_L2_TYPE)
		return root_is(r, "Results") ? result_field(r, id - S_L2_TARGET, ev) : 0;
	if (!under_resources(r) || !r->in_resource)
		return 0;
	if (id == S_L2_NS || id == S_L2_KIND || id == S_L2_NAME)
		set_str(&r->resource, NULL);
	switch (id) {
	case S_L2_NS:
		return want_string(r, ev, "Resource.Namespace", &r->ns);
	case S_L2_KIND:
		return want_string(r, ev, "Resource.Kind", &r->kind);
	case S_L2_NAME:
		return want_string(r, ev, "Resource.Name", &r->rname);
	case S_L2_META: {
		size_t i;
		json_t *m;
		int error;
		if (json_is_object(ev->value))
			return read_metadata(ev->value, &r->res_image, &r->res_os);
		json_array_foreach (ev->value, i, m)
			if ((error = read_metadata(m, &r->res_image, &r->res_os)) < 0)
				return error;
		return 0;
	}
	case S_L3:
		if (ev->key)
			return data_error(r, ev->line, "Resource.Results must be an array");
		return result_enter(r, ev);
	default:
		break;
	}
	if (id >= S_L3_TARGET && id <= S_L3_TYPE)
		return result_field(r, id - S_L3_TARGET, ev);
	return 0;
}

/* ---- setup and the end of the document --------------------------------------- */

/* A findings array at one place: trivy_finding.c says which parts of a finding are read. */
static int subscribe_findings(reader *r, int place, int k)
{
	static const char *const places[] = { "[*][*]", "[*][*].Results[*]", "[*]" };
	char base[96];

	snprintf(base, sizeof(base), "%s.%s[*]", places[place], find_keys[k]);
	return platci__trivy_subscribe(r->s, base, (platci_trivy_kind)k, r->rec.light,
		S_FIND + 40 * place + 10 * k, on_event, r);
}

static int subscribe(reader *r)
{
	static const struct {
		const char *p;
		unsigned int kinds;
		int id;
	} fixed[] = {
		{ "[*]", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT, S_ROOT },
		{ "SchemaVersion", PLATCI_JSON_STREAM_VALUE, S_SCHEMA },
		{ "ArtifactName", PLATCI_JSON_STREAM_VALUE, S_ANAME },
		{ "ArtifactType", PLATCI_JSON_STREAM_VALUE, S_ATYPE },
		{ "ClusterName", PLATCI_JSON_STREAM_VALUE, S_CLUSTER },
		{ "Metadata", PLATCI_JSON_STREAM_VALUE, S_META },
		{ "Trivy.Version", PLATCI_JSON_STREAM_VALUE, S_TRIVY_VERSION },
		{ "[*][*]", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT, S_L2 },
		{ "[*][*].Target", PLATCI_JSON_STREAM_VALUE, S_L2_TARGET },
		{ "[*][*].Class", PLATCI_JSON_STREAM_VALUE, S_L2_CLASS },
		{ "[*][*].Type", PLATCI_JSON_STREAM_VALUE, S_L2_TYPE },
		{ "[*][*].Namespace", PLATCI_JSON_STREAM_VALUE, S_L2_NS },
		{ "[*][*].Kind", PLATCI_JSON_STREAM_VALUE, S_L2_KIND },
		{ "[*][*].Name", PLATCI_JSON_STREAM_VALUE, S_L2_NAME },
		{ "[*][*].Metadata", PLATCI_JSON_STREAM_VALUE, S_L2_META },
		{ "[*][*].Results[*]", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT, S_L3 },
		{ "[*][*].Results[*].Target", PLATCI_JSON_STREAM_VALUE, S_L3_TARGET },
		{ "[*][*].Results[*].Class", PLATCI_JSON_STREAM_VALUE, S_L3_CLASS },
		{ "[*][*].Results[*].Type", PLATCI_JSON_STREAM_VALUE, S_L3_TYPE },
		{ "[*].Target", PLATCI_JSON_STREAM_VALUE, S_L1_TARGET },
		{ "[*].Class", PLATCI_JSON_STREAM_VALUE, S_L1_CLASS },
		{ "[*].Type", PLATCI_JSON_STREAM_VALUE, S_L1_TYPE },
	};
	int error;

	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(fixed); i++)
		if ((error = platci_json_stream_on(r->s, fixed[i].p, fixed[i].kinds, fixed[i].id,
			     on_event, r)) < 0)
			return error;
	for (int place = 0; place < 3; place++)
		for (int k = 0; k < PLATCI_TRIVY_KINDS; k++)
			if ((error = subscribe_findings(r, place, k)) < 0)
				return error;
	return 0;
}

/* After the last byte: was it a Trivy report at all, and which shape. */
static int conclude(reader *r)
{
	int root = platci_json_stream_root_type(r->s);
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r->name, 1, 1, 0, NULL, NULL };

	if (root == JSON_NULL) {
		r->stats->shape = PLATCI_TRIVY_SHAPE_NULL;
		return 0;
	}
	if (root == JSON_ARRAY) {
		r->stats->shape = PLATCI_TRIVY_SHAPE_LEGACY;
		return 0;
	}
	if (root != JSON_OBJECT) {
		platci_diag_add(r->diag, &e,
			"not a Trivy report: the document is a %s, not an "
			"object, an array or null",
			root == JSON_STRING                       ? "string"
			: root == JSON_TRUE || root == JSON_FALSE ? "boolean"
								  : "number");
		return PLATCI_EDATA;
	}
	if (!r->saw_trivy_key) {
		platci_diag_add(r->diag, &e,
			"not a Trivy report: none of SchemaVersion, "
			"ArtifactName, Results, ClusterName, Resources or Findings is present");
		return PLATCI_EDATA;
	}
	if (r->cluster || r->stats->shape == PLATCI_TRIVY_SHAPE_NONE) {
		if (r->stats->shape == PLATCI_TRIVY_SHAPE_NONE)
			r->stats->shape = r->schema_version || r->artifact_name || r->saw_results_key
						  ? PLATCI_TRIVY_SHAPE_V2
						  : PLATCI_TRIVY_SHAPE_K8S;
	}
	return 0;
}

static int read_any(platci_trivy_stats *stats, const char *path, const char *data, size_t len,
	const platci_trivy_options *opts, platci_trivy_cb cb, void *payload, platci_diag *diag)
{
	platci_json_stream_options so = PLATCI_JSON_STREAM_OPTIONS_INIT;
	platci_trivy_options o = PLATCI_TRIVY_OPTIONS_INIT;
	platci_trivy_stats local;
	reader r;
	int error = 0;

	memset(&r, 0, sizeof(r));
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	PLATCI_ASSERT_ARG(cb);
	if (opts) {
		if (opts->version != PLATCI_TRIVY_OPTIONS_VERSION)
			return PLATCI_EINVALID;
		o = *opts;
	}
	so.max_depth = o.max_depth;
	so.max_value_bytes = o.max_value_bytes ? o.max_value_bytes : 16u * 1024 * 1024;
	so.name = o.name ? o.name : path;
	r.name = so.name;
	r.cb = cb;
	r.payload = payload;
	r.diag = diag;
	r.stats = stats;
	platci__trivy_record_init(&r.rec, so.max_value_bytes);
	r.rec.light = o.policy_fields_only;
	if ((error = platci_json_stream_new(&r.s, &so)) < 0)
		goto done;
	if ((error = subscribe(&r)) < 0)
		goto done;
	if (data)
		error = platci_json_stream_feed(r.s, data, len, diag);
	if (!error && data)
		error = platci_json_stream_finish(r.s, diag);
	if (!data)
		error = platci_json_stream_file(r.s, path, diag);
	stats->bytes = platci_json_stream_bytes(r.s);
	if (r.error)
		error = r.error;
	if (error == 0)
		error = conclude(&r);
done:
	for (size_t i = 0; i < r.nqueue; i++)
		platci__trivy_record_dispose(&r.queue[i].rec);
	free(r.queue);
	platci__trivy_record_dispose(&r.rec);
	reset_result(&r);
	reset_resource(&r);
	free(r.artifact_name);
	free(r.artifact_type);
	free(r.cluster);
	free(r.meta_image);
	free(r.meta_os);
	platci_json_stream_free(r.s);
	return error;
}

int platci_trivy_read_file(platci_trivy_stats *stats, const char *path,
	const platci_trivy_options *opts, platci_trivy_cb cb, void *payload, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(path);
	return read_any(stats, path, NULL, 0, opts, cb, payload, diag);
}

int platci_trivy_read_buffer(platci_trivy_stats *stats, const char *name, const char *data, size_t len,
	const platci_trivy_options *opts, platci_trivy_cb cb, void *payload, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(data || len == 0);
	return read_any(stats, name ? name : "-", data ? data : "", len, opts, cb, payload, diag);
}
