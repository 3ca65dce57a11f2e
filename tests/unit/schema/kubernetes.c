/* The Kubernetes rules on top of draft 4, positions and paths, limits and bad schemas. */
#include "test_helpers.h"

typedef struct fx {
	platci_doc *schema_doc, *doc;
	platci_schema *schema;
	platci_schema_violations *v;
	platci_diag *diag;
} fx;

static void fx_free(fx *f)
{
	platci_doc_free(f->schema_doc);
	platci_doc_free(f->doc);
	platci_schema_free(f->schema);
	platci_schema_violations_free(f->v);
	platci_diag_free(f->diag);
}

/* Compiles @p schema (YAML) and validates @p yaml; returns validate's result. */
static int run(fx *f, const char *schema, const char *yaml, int strict, int dialect, int structural)
{
	platci_schema_options so = PLATCI_SCHEMA_OPTIONS_INIT;
	platci_schema_check_options co = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;
	int rc;

	memset(f, 0, sizeof(*f));
	so.dialect = dialect;
	so.structural = structural;
	co.strict = strict;
	cr_assert_eq(platci_diag_new(&f->diag), 0);
	cr_assert_eq(platci_doc_load_buffer(&f->schema_doc, "s.yaml", schema, strlen(schema), NULL, NULL), 0);
	rc = platci_schema_compile(&f->schema, platci_doc_root_at(f->schema_doc, 0), NULL, "s.yaml",
		&so, f->diag);
	cr_assert_eq(rc, 0, "compile failed: %d", rc);
	cr_assert_eq(platci_doc_load_buffer(&f->doc, "o.yaml", yaml, strlen(yaml), NULL, NULL), 0);
	cr_assert_eq(platci_schema_violations_new(&f->v), 0);
	return platci_schema_validate(f->v, f->schema, platci_doc_root_at(f->doc, 0), "o.yaml", &co);
}

static const platci_schema_violation *only(fx *f)
{
	cr_assert_eq(platci_schema_violations_count(f->v), 1, "want 1 violation, got %zu",
		platci_schema_violations_count(f->v));
	return platci_schema_violations_at(f->v, 0);
}

static const char pod_schema[] =
	"type: object\n"
	"properties:\n"
	"  spec:\n"
	"    type: object\n"
	"    required: [containers]\n"
	"    properties:\n"
	"      replicas: {type: integer, format: int32}\n"
	"      containers:\n"
	"        type: array\n"
	"        x-kubernetes-list-type: map\n"
	"        x-kubernetes-list-map-keys: [name]\n"
	"        items:\n"
	"          type: object\n"
	"          required: [name]\n"
	"          properties:\n"
	"            name: {type: string}\n"
	"            image: {type: string}\n"
	"            port: {x-kubernetes-int-or-string: true}\n";

Test(schema_k8s, violation_has_file_line_column_and_document_path)
{
	fx f;
	int rc = run(&f, pod_schema, "spec:\n  containers:\n    - name: app\n      image: 12\n", 0,
		PLATCI_SCHEMA_KUBERNETES, 0);
	const platci_schema_violation *v;

	cr_assert_eq(rc, 1);
	v = only(&f);
	cr_assert_eq(v->problem, PLATCI_SCHEMA_V_TYPE);
	cr_assert_str_eq(v->path, "spec.containers[0].image");
	cr_assert_str_eq(v->source, "o.yaml");
	cr_assert_eq(v->pos.line, 4);
	cr_assert_eq(v->pos.column, 14);
	cr_assert_str_eq(v->message, "expected string, found integer");
	fx_free(&f);
}

Test(schema_k8s, missing_required_field_is_reported_at_its_parents_key)
{
	fx f;
	const platci_schema_violation *v;

	cr_assert_eq(run(&f, pod_schema, "spec:\n  replicas: 2\n", 0, PLATCI_SCHEMA_KUBERNETES, 0), 1);
	v = only(&f);
	cr_assert_eq(v->problem, PLATCI_SCHEMA_V_REQUIRED);
	cr_assert_str_eq(v->path, "spec");
	cr_assert_eq(v->pos.line, 1);
	cr_assert_eq(v->pos.column, 1);
	cr_assert_str_eq(v->message, "missing required field \"containers\"");
	fx_free(&f);
}

Test(schema_k8s, null_fields_count_as_absent_unless_nullable)
{
	fx f;

	/* the API server drops `replicas: null`; a null `containers` is then missing */
	cr_assert_eq(run(&f, pod_schema, "spec:\n  replicas: null\n  containers: ~\n", 0,
			     PLATCI_SCHEMA_KUBERNETES, 0),
		1);
	cr_assert_eq(only(&f)->problem, PLATCI_SCHEMA_V_REQUIRED);
	fx_free(&f);
	/* plain draft 4 sees the nulls as values of the wrong type */
	cr_assert_eq(run(&f, pod_schema, "spec:\n  replicas: null\n  containers: []\n", 0,
			     PLATCI_SCHEMA_DRAFT4, 0),
		1);
	cr_assert_eq(only(&f)->problem, PLATCI_SCHEMA_V_TYPE);
	fx_free(&f);
	cr_assert_eq(run(&f, "properties: {a: {type: string, nullable: true}}\n", "a: null\n", 0,
			     PLATCI_SCHEMA_DRAFT4, 0),
		0);
	fx_free(&f);
}

Test(schema_k8s, int_or_string_takes_both_and_nothing_else)
{
	fx f;

	cr_assert_eq(run(&f, pod_schema, "spec:\n  containers: [{name: a, port: 80}, {name: b, port: http}]\n",
			     0, PLATCI_SCHEMA_KUBERNETES, 0),
		0);
	fx_free(&f);
	cr_assert_eq(run(&f, pod_schema, "spec:\n  containers: [{name: a, port: 1.5}]\n", 0,
			     PLATCI_SCHEMA_KUBERNETES, 0),
		1);
	cr_assert_str_eq(only(&f)->message, "expected string or integer, found number");
	fx_free(&f);
}

Test(schema_k8s, list_map_keys_must_be_unique)
{
	fx f;
	const platci_schema_violation *v;

	cr_assert_eq(run(&f, pod_schema, "spec:\n  containers:\n  - name: a\n  - name: b\n  - name: a\n    image: x\n",
			     0, PLATCI_SCHEMA_KUBERNETES, 0),
		1);
	v = only(&f);
	cr_assert_eq(v->problem, PLATCI_SCHEMA_V_UNIQUE);
	cr_assert_str_eq(v->path, "spec.containers[2]");
	cr_assert_eq(v->pos.line, 5);
	fx_free(&f);
}

Test(schema_k8s, list_set_and_unique_items_compare_values_not_spelling)
{
	fx f;

	cr_assert_eq(run(&f, "x-kubernetes-list-type: set\n", "[1, 2, 1.0]\n", 0,
			     PLATCI_SCHEMA_KUBERNETES, 0),
		1);
	cr_assert_str_eq(only(&f)->path, "[2]");
	fx_free(&f);
	cr_assert_eq(run(&f, "uniqueItems: true\n", "[\"1\", 1, {a: 1, b: 2}, {b: 2, a: 1}]\n", 0,
			     PLATCI_SCHEMA_DRAFT4, 0),
		1);
	cr_assert_str_eq(only(&f)->path, "[3]");
	fx_free(&f);
}

Test(schema_k8s, quantity_definition_takes_numbers_and_quantity_strings)
{
	static const char swagger[] =
		"definitions:\n"
		"  io.k8s.apimachinery.pkg.api.resource.Quantity: {type: string}\n"
		"  R:\n"
		"    properties:\n"
		"      requests:\n"
		"        additionalProperties: {$ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity'}\n";
	static const char *const good[] = { "cpu: 500m", "cpu: 2", "cpu: 0.5", "memory: 1.5Gi",
		"memory: 1e3", "cpu: \"100n\"", "memory: +1E-2" };
	static const char *const bad[] = { "cpu: 1 GB", "memory: 1Gb", "cpu: true", "cpu: m", "cpu: []" };
	platci_schema_options so = PLATCI_SCHEMA_OPTIONS_INIT;
	platci_doc *sd = NULL;
	platci_schema *s = NULL;

	so.dialect = PLATCI_SCHEMA_KUBERNETES;
	cr_assert_eq(platci_doc_load_buffer(&sd, "s", swagger, strlen(swagger), NULL, NULL), 0);
	cr_assert_eq(platci_schema_compile(&s, platci_doc_root_at(sd, 0), "#/definitions/R", "s", &so, NULL),
		0);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]) + sizeof(bad) / sizeof(bad[0]); i++) {
		int is_good = i < sizeof(good) / sizeof(good[0]);
		const char *v = is_good ? good[i] : bad[i - sizeof(good) / sizeof(good[0])];
		char yaml[128];
		platci_doc *d = NULL;
		snprintf(yaml, sizeof(yaml), "requests: {%s}\n", v);
		cr_assert_eq(platci_doc_load_buffer(&d, "o", yaml, strlen(yaml), NULL, NULL), 0, "%s", yaml);
		cr_assert_eq(platci_schema_validate(NULL, s, platci_doc_root_at(d, 0), "o", NULL),
			!is_good, "%s should be %s", v, is_good ? "valid" : "invalid");
		platci_doc_free(d);
	}
	platci_schema_free(s);
	platci_doc_free(sd);
}

Test(schema_k8s, strict_mode_names_the_unknown_field_and_a_near_one)
{
	fx f;
	const platci_schema_violation *v;
	const char *yaml = "spec:\n  replicass: 3\n  containers: []\n";

	cr_assert_eq(run(&f, pod_schema, yaml, 0, PLATCI_SCHEMA_KUBERNETES, 0), 0);
	fx_free(&f);
	cr_assert_eq(run(&f, pod_schema, yaml, 1, PLATCI_SCHEMA_KUBERNETES, 0), 1);
	v = only(&f);
	cr_assert_eq(v->problem, PLATCI_SCHEMA_V_UNKNOWN_FIELD);
	cr_assert_str_eq(v->path, "spec.replicass");
	cr_assert_eq(v->pos.line, 2);
	cr_assert_eq(v->pos.column, 3);
	cr_assert_str_eq(v->message, "unknown field \"replicass\" (did you mean \"replicas\"?)");
	fx_free(&f);
}

Test(schema_k8s, preserve_unknown_fields_and_additional_properties_keep_fields)
{
	fx f;

	cr_assert_eq(run(&f,
			     "type: object\nproperties: {a: {type: string}}\n"
			     "x-kubernetes-preserve-unknown-fields: true\n",
			     "a: x\nb: {c: 1}\n", 1, PLATCI_SCHEMA_KUBERNETES, 1),
		0);
	fx_free(&f);
	/* structural: an object with no properties holds no fields (the API server prunes them) */
	cr_assert_eq(run(&f, "type: object\nproperties: {spec: {type: object}}\n", "spec: {x: 1}\n",
			     1, PLATCI_SCHEMA_KUBERNETES, 1),
		1);
	cr_assert_str_eq(only(&f)->path, "spec.x");
	fx_free(&f);
	/* not structural (a native OpenAPI type such as RawExtension): open */
	cr_assert_eq(run(&f, "type: object\nproperties: {spec: {type: object}}\n", "spec: {x: 1}\n",
			     1, PLATCI_SCHEMA_KUBERNETES, 0),
		0);
	fx_free(&f);
}

Test(schema_k8s, embedded_resource_needs_api_version_and_kind)
{
	fx f;
	const char *schema =
		"type: object\nproperties:\n  template:\n    type: object\n"
		"    x-kubernetes-embedded-resource: true\n"
		"    properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}\n";

	cr_assert_eq(run(&f, schema,
			     "template:\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n"
			     "  spec: {}\n",
			     1, PLATCI_SCHEMA_KUBERNETES, 1),
		0);
	fx_free(&f);
	cr_assert_eq(run(&f, schema, "template:\n  spec: {}\n", 1, PLATCI_SCHEMA_KUBERNETES, 1), 1);
	cr_assert_eq(only(&f)->problem, PLATCI_SCHEMA_V_REQUIRED);
	fx_free(&f);
}

Test(schema_k8s, formats_date_time_int32_and_byte)
{
	fx f;
	const char *schema =
		"properties:\n  t: {type: string, format: date-time}\n"
		"  n: {type: integer, format: int32}\n  b: {type: string, format: byte}\n";

	cr_assert_eq(run(&f, schema, "t: \"2024-02-29T10:00:00Z\"\nn: 2147483647\nb: aGVsbG8=\n", 0,
			     PLATCI_SCHEMA_KUBERNETES, 0),
		0);
	fx_free(&f);
	cr_assert_eq(run(&f, schema, "t: \"2023-02-29T10:00:00Z\"\nn: 2147483648\nb: hello!\n", 0,
			     PLATCI_SCHEMA_KUBERNETES, 0),
		1);
	cr_assert_eq(platci_schema_violations_count(f.v), 3);
	fx_free(&f);
}

Test(schema_k8s, messages_never_quote_instance_values)
{
	fx f;

	/* a Secret's data must not reach a report, even when it is invalid */
	cr_assert_eq(run(&f, "additionalProperties: {type: string, format: byte, maxLength: 4}\n",
			     "token: s3cr3t-v4lue!\n", 0, PLATCI_SCHEMA_KUBERNETES, 0),
		1);
	for (size_t i = 0; i < platci_schema_violations_count(f.v); i++)
		cr_assert_null(strstr(platci_schema_violations_at(f.v, i)->message, "s3cr3t"));
	fx_free(&f);
}

Test(schema_k8s, yaml_scalars_are_typed_by_the_core_schema)
{
	fx f;

	cr_assert_eq(run(&f, "additionalProperties: {type: string}\n",
			     "a: \"true\"\nb: '12'\nc: !!str 12\nd: yes\ne: 1_000\n", 0,
			     PLATCI_SCHEMA_DRAFT4, 0),
		0);
	fx_free(&f);
	cr_assert_eq(run(&f, "additionalProperties: {type: string}\n", "a: true\nb: 0x1F\nc: .5\n",
			     0, PLATCI_SCHEMA_DRAFT4, 0),
		1);
	cr_assert_eq(platci_schema_violations_count(f.v), 3);
	fx_free(&f);
}

Test(schema_k8s, merge_keys_are_read_as_fields)
{
	fx f;

	cr_assert_eq(run(&f,
			     "required: [a, b]\nproperties: {a: {type: integer}, b: {type: string}}\n"
			     "additionalProperties: false\n",
			     "base: &b\n  b: x\nobj:\n  <<: *b\n  a: 1\n", 0, PLATCI_SCHEMA_DRAFT4, 0),
		1);
	/* the root fails (base is unknown); obj is fine: check obj alone */
	fx_free(&f);
	{
		platci_doc *sd = NULL, *d = NULL;
		platci_schema *s = NULL;
		const char *schema =
			"required: [a, b]\nproperties: {a: {type: integer}, b: {type: string}}\n"
			"additionalProperties: false\n";
		const char *yaml = "base: &b\n  b: x\nobj:\n  <<: *b\n  a: 1\n";
		cr_assert_eq(platci_doc_load_buffer(&sd, "s", schema, strlen(schema), NULL, NULL), 0);
		cr_assert_eq(platci_schema_compile(&s, platci_doc_root_at(sd, 0), NULL, "s", NULL, NULL), 0);
		cr_assert_eq(platci_doc_load_buffer(&d, "o", yaml, strlen(yaml), NULL, NULL), 0);
		cr_assert_eq(platci_schema_validate(NULL, s,
				     platci_node_get(platci_doc_root_at(d, 0), "obj"), "o", NULL),
			0);
		platci_schema_free(s);
		platci_doc_free(sd);
		platci_doc_free(d);
	}
}

Test(schema_k8s, any_of_explains_with_the_only_alternative_of_the_right_type)
{
	fx f;
	const platci_schema_violation *v;

	cr_assert_eq(run(&f, "anyOf: [{type: integer, minimum: 10}, {type: string}]\n", "3\n", 0,
			     PLATCI_SCHEMA_DRAFT4, 0),
		1);
	v = only(&f);
	cr_assert_eq(v->problem, PLATCI_SCHEMA_V_RANGE);
	cr_assert_str_eq(v->message, "must be at least 10");
	fx_free(&f);
}

Test(schema_k8s, violations_stop_at_the_cap)
{
	platci_schema_check_options co = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;
	fx f;

	run(&f, "items: {type: string}\n", "[1, 2, 3, 4, 5, 6]\n", 0, PLATCI_SCHEMA_DRAFT4, 0);
	platci_schema_violations_clear(f.v);
	co.max_violations = 2;
	cr_assert_eq(platci_schema_validate(f.v, f.schema, platci_doc_root_at(f.doc, 0), "o", &co), 1);
	cr_assert_eq(platci_schema_violations_count(f.v), 2);
	fx_free(&f);
}

/* ---- bad schemas: refused with an error at a position, never a hang --------------------- */

static void compile_fails(const char *schema, int want, const char *text, size_t line)
{
	platci_doc *sd = NULL;
	platci_schema *s = NULL;
	platci_diag *diag = NULL;
	const platci_diag_entry *e;
	int rc;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_doc_load_buffer(&sd, "s.yaml", schema, strlen(schema), NULL, NULL), 0);
	rc = platci_schema_compile(&s, platci_doc_root_at(sd, 0), NULL, "s.yaml", NULL, diag);
	cr_assert_eq(rc, want, "want %d got %d", want, rc);
	cr_assert_null(s);
	cr_assert_geq(platci_diag_count(diag), 1);
	e = platci_diag_at(diag, 0);
	cr_assert(strstr(e->message, text), "message: %s", e->message);
	cr_assert_eq(e->line, line, "line %zu", e->line);
	platci_doc_free(sd);
	platci_diag_free(diag);
}

Test(schema_bad, a_schema_that_refers_to_itself_is_refused)
{
	compile_fails("$ref: '#'\n", PLATCI_EDATA, "refers to itself", 1);
	compile_fails(
		"definitions:\n  a: {$ref: '#/definitions/b'}\n  b: {allOf: [{$ref: '#/definitions/a'}]}\n"
		"$ref: '#/definitions/a'\n",
		PLATCI_EDATA, "refers to itself", 2);
}

Test(schema_bad, a_ref_that_descends_is_fine)
{
	platci_doc *sd = NULL, *d = NULL;
	platci_schema *s = NULL;
	const char *schema = "properties: {child: {$ref: '#'}}\nadditionalProperties: false\n";

	cr_assert_eq(platci_doc_load_buffer(&sd, "s", schema, strlen(schema), NULL, NULL), 0);
	cr_assert_eq(platci_schema_compile(&s, platci_doc_root_at(sd, 0), NULL, "s", NULL, NULL), 0);
	cr_assert_eq(platci_doc_load_buffer(&d, "o", "child: {child: {child: {}}}\n", 28, NULL, NULL), 0);
	cr_assert_eq(platci_schema_validate(NULL, s, platci_doc_root_at(d, 0), "o", NULL), 0);
	platci_schema_free(s);
	platci_doc_free(sd);
	platci_doc_free(d);
}

Test(schema_bad, a_ref_to_nowhere_or_elsewhere_is_refused)
{
	compile_fails("properties:\n  a: {$ref: '#/definitions/missing'}\n", PLATCI_EDATA,
		"points to nowhere", 2);
	compile_fails("properties:\n  a: {$ref: 'https://example.com/s.json#/x'}\n", PLATCI_EDATA,
		"remote references are not fetched", 2);
}

Test(schema_bad, keywords_of_the_wrong_shape_are_refused)
{
	compile_fails("type: strnig\n", PLATCI_EDATA, "type must be one of", 1);
	compile_fails("minLength: -1\n", PLATCI_EDATA, "non-negative integer", 1);
	compile_fails("properties:\n  a:\n    pattern: '(?=x)'\n", PLATCI_EDATA, "lookaround", 3);
	compile_fails("items: [1]\n", PLATCI_EDATA, "a schema must be an object", 1);
}

Test(schema_bad, nesting_past_the_limit_is_refused)
{
	platci_schema_options so = PLATCI_SCHEMA_OPTIONS_INIT;
	platci_doc_options dopt = PLATCI_DOC_OPTIONS_INIT;
	platci_buf b = PLATCI_BUF_INIT;
	platci_doc *sd = NULL;
	platci_schema *s = NULL;

	/* 1,000 levels of "not": the document loader allows it here, the compiler's limit stops it */
	for (int i = 0; i < 1000; i++)
		platci_buf_puts(&b, "{\"not\":");
	platci_buf_puts(&b, "{}");
	for (int i = 0; i < 1000; i++)
		platci_buf_putc(&b, '}');
	dopt.max_depth = 5000;
	cr_assert_eq(platci_doc_load_json_buffer(&sd, "deep.json", b.ptr, b.size, &dopt, NULL), 0);
	so.max_depth = 100;
	cr_assert_eq(platci_schema_compile(&s, platci_doc_root_at(sd, 0), NULL, "deep.json", &so, NULL),
		PLATCI_ELIMIT);
	cr_assert_null(s);
	platci_doc_free(sd);
	platci_buf_dispose(&b);
}

Test(schema_bad, json_loader_refuses_garbage_with_a_position)
{
	platci_doc *d = NULL;
	platci_diag *diag = NULL;
	const platci_diag_entry *e;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_doc_load_json_buffer(&d, "x.json", "{\n  \"a\": 1,\n  \"a\": 2\n}", 22,
			     NULL, diag),
		PLATCI_ESYNTAX);
	e = platci_diag_at(diag, 0);
	cr_assert(strstr(e->message, "duplicate key \"a\""));
	cr_assert_eq(e->line, 3);
	cr_assert_eq(e->column, 3);
	platci_diag_free(diag);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_doc_load_json_buffer(&d, "x.json", "[1, 2,\n  oops]", 14, NULL, diag),
		PLATCI_ESYNTAX);
	cr_assert_eq(platci_diag_at(diag, 0)->line, 2);
	platci_diag_free(diag);
}

Test(schema_k8s, partial_objects_skip_required_but_check_the_rest)
{
	platci_schema_check_options co = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;
	fx f;

	/* a kustomize patch: spec.containers is missing on purpose, the image is still checked */
	cr_assert_eq(run(&f, pod_schema, "spec:\n  replicas: 2\n", 0, PLATCI_SCHEMA_KUBERNETES, 0), 1);
	platci_schema_violations_clear(f.v);
	co.partial = 1;
	cr_assert_eq(platci_schema_validate(f.v, f.schema, platci_doc_root_at(f.doc, 0), "o", &co), 0);
	fx_free(&f);
	run(&f, pod_schema, "spec:\n  containers: [{image: 3}]\n", 0, PLATCI_SCHEMA_KUBERNETES, 0);
	platci_schema_violations_clear(f.v);
	cr_assert_eq(platci_schema_validate(f.v, f.schema, platci_doc_root_at(f.doc, 0), "o", &co), 1);
	cr_assert_eq(only(&f)->problem, PLATCI_SCHEMA_V_TYPE);
	fx_free(&f);
}
