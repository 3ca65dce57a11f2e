#include "test_helpers.h"

static platci_doc *doc_of(const char *y)
{
	platci_doc *d = NULL;
	cr_assert_eq(platci_doc_load_buffer(&d, "q", y, strlen(y), NULL, NULL), 0);
	return d;
}

static int count_cb(const platci_node *n, void *p)
{
	(void)n;
	(*(int *)p)++;
	return 0;
}

Test(query, keys_indices_wildcards_and_quoted_keys)
{
	platci_doc *d = doc_of(
		"metadata:\n  labels:\n    app.kubernetes.io/name: web\n"
		"spec:\n  containers:\n    - name: a\n      image: x\n    - name: b\n      image: y\n");
	platci_query *q = NULL;
	int n = 0;

	cr_assert_eq(platci_query_compile(&q, "metadata.labels[\"app.kubernetes.io/name\"]", NULL), 0);
	cr_assert_str_eq(platci_node_scalar(platci_query_first_node(q, platci_doc_root_at(d, 0)), NULL),
		"web");
	platci_query_free(q);
	cr_assert_eq(platci_query_compile(&q, "spec.containers[*].image", NULL), 0);
	cr_assert_eq(platci_query_nodes(q, platci_doc_root_at(d, 0), count_cb, &n), 2);
	cr_assert_eq(n, 2);
	platci_query_free(q);
	cr_assert_eq(platci_query_compile(&q, "spec.containers[1].name", NULL), 0);
	cr_assert_str_eq(platci_node_scalar(platci_query_first_node(q, platci_doc_root_at(d, 0)), NULL), "b");
	platci_query_free(q);
	cr_assert_eq(platci_query_compile(&q, "metadata.*", NULL), 0);
	cr_assert_eq(platci_query_step_count(q), 2);
	platci_query_free(q);
	platci_doc_free(d);
}

Test(query, works_on_json_too)
{
	json_t *v = json_loads("{\"a\": [{\"b\": 1}, {\"b\": 2}], \"k.x\": 3}", 0, NULL);
	platci_query *q = NULL;
	cr_assert_eq(platci_query_compile(&q, "a[1].b", NULL), 0);
	cr_assert_eq(json_integer_value(platci_query_first_json(q, v)), 2);
	platci_query_free(q);
	cr_assert_eq(platci_query_compile(&q, "['k.x']", NULL), 0);
	cr_assert_eq(json_integer_value(platci_query_first_json(q, v)), 3);
	platci_query_free(q);
	json_decref(v);
}

Test(query, bad_expressions_are_syntax_errors_with_a_column)
{
	const char *bad[] = { "a..b", ".a", "a[", "a[x]", "a[\"x]", "a.", "a[1", "a]b" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		platci_query *q = NULL;
		platci_diag *diag = NULL;
		platci_diag_new(&diag);
		cr_assert_eq(platci_query_compile(&q, bad[i], diag), PLATCI_ESYNTAX, "%s", bad[i]);
		cr_assert_null(q);
		cr_assert_gt(platci_diag_at(diag, 0)->column, 0);
		platci_diag_free(diag);
	}
}
