#include "test_helpers.h"

static platci_doc *load_ok(const char *yaml)
{
	platci_doc *doc = NULL;
	int rc = platci_doc_load_buffer(&doc, "t.yaml", yaml, strlen(yaml), NULL, NULL);
	cr_assert_eq(rc, 0, "load failed: %d", rc);
	return doc;
}

static const platci_diag_entry *load_err(const char *yaml, size_t len, int want, platci_diag **diag_out)
{
	platci_doc *doc = NULL;
	int rc;

	cr_assert_eq(platci_diag_new(diag_out), 0);
	rc = platci_doc_load_buffer(&doc, "t.yaml", yaml, len, NULL, *diag_out);
	cr_assert_eq(rc, want, "want %d got %d", want, rc);
	cr_assert_null(doc);
	cr_assert_geq(platci_diag_count(*diag_out), 1);
	return platci_diag_at(*diag_out, 0);
}

Test(doc, positions_are_one_based_with_byte_offsets)
{
	platci_doc *doc = load_ok("a: 1\nb:\n  c: \"x\"\n");
	const platci_node *root = platci_doc_root_at(doc, 0);
	const platci_node *c = platci_node_dig(root, "b.c");

	cr_assert_not_null(c);
	cr_assert_str_eq(platci_node_scalar(c, NULL), "x");
	cr_assert_eq(platci_node_start(c).line, 3);
	cr_assert_eq(platci_node_start(c).column, 6);
	cr_assert_eq(platci_node_start(c).offset, 13);
	cr_assert_eq(platci_node_end(c).offset, 16);
	cr_assert_eq(platci_node_style_of(c), PLATCI_STYLE_DOUBLE_QUOTED);
	platci_doc_free(doc);
}

Test(doc, offsets_are_bytes_after_multibyte_text)
{
	const char *y = "# caf\xc3\xa9 \xe2\x82\xac\nname: v1\n";
	platci_doc *doc = load_ok(y);
	const platci_node *v = platci_node_get(platci_doc_root_at(doc, 0), "name");
	size_t off = platci_node_start(v).offset;

	cr_assert_eq(memcmp(y + off, "v1", 2), 0, "offset %zu does not point at the value", off);
	platci_doc_free(doc);
}

Test(doc, bom_is_skipped_and_offsets_still_point_at_bytes)
{
	const char *y = "\xEF\xBB\xBFkey: value\n";
	platci_doc *doc = load_ok(y);
	const platci_node *v = platci_node_get(platci_doc_root_at(doc, 0), "key");

	cr_assert_eq(memcmp(y + platci_node_start(v).offset, "value", 5), 0);
	platci_doc_free(doc);
}

Test(doc, multiple_documents)
{
	platci_doc *doc = load_ok("a: 1\n---\nb: 2\n---\n- x\n");
	cr_assert_eq(platci_doc_count(doc), 3);
	cr_assert_eq(platci_node_type_of(platci_doc_root_at(doc, 2)), PLATCI_NODE_SEQUENCE);
	platci_doc_free(doc);
}

Test(doc, empty_input_has_no_documents)
{
	platci_doc *doc = load_ok("");
	cr_assert_eq(platci_doc_count(doc), 0);
	platci_doc_free(doc);
	doc = load_ok("# only a comment\n");
	cr_assert_eq(platci_doc_count(doc), 0);
	platci_doc_free(doc);
}

Test(doc, duplicate_keys_are_errors_with_both_lines)
{
	platci_diag *diag;
	const platci_diag_entry *e = load_err("a: 1\nb: 2\na: 3\n", 15, PLATCI_ESYNTAX, &diag);

	cr_assert_eq(e->code, PLATCI_EDUPLICATE);
	cr_assert_eq(e->line, 3);
	cr_assert_eq(e->column, 1);
	cr_assert(strstr(e->message, "line 1") != NULL, "%s", e->message);
	platci_diag_free(diag);
}

Test(doc, duplicate_keys_in_large_mappings)
{
	char y[4096] = "";
	size_t n = 0;
	platci_diag *diag;

	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(y + n, sizeof(y) - n, "k%d: %d\n", i, i);
	n += (size_t)snprintf(y + n, sizeof(y) - n, "k42: again\n");
	const platci_diag_entry *e = load_err(y, n, PLATCI_ESYNTAX, &diag);
	cr_assert_eq(e->line, 101);
	platci_diag_free(diag);
}

Test(doc, all_duplicates_are_reported)
{
	platci_diag *diag;
	load_err("a: 1\na: 2\nb: 1\nb: 2\n", 20, PLATCI_ESYNTAX, &diag);
	cr_assert_eq(platci_diag_count(diag), 2);
	platci_diag_free(diag);
}

Test(doc, merge_keys_are_not_duplicates_and_are_followed)
{
	platci_doc *doc = load_ok("base: &b {x: 1}\nj:\n  <<: *b\n  y: 2\n");
	const platci_node *j = platci_node_get(platci_doc_root_at(doc, 0), "j");
	cr_assert_str_eq(platci_node_get_str(j, "x"), "1");
	platci_doc_free(doc);
}

Test(doc, truncated_yaml_has_a_position)
{
	platci_diag *diag;
	const platci_diag_entry *e = load_err("a: [1, 2\n", 9, PLATCI_ESYNTAX, &diag);
	cr_assert_gt(e->line, 0);
	cr_assert_gt(e->column, 0);
	platci_diag_free(diag);
}

Test(doc, tabs_as_indentation_are_errors)
{
	platci_diag *diag;
	const platci_diag_entry *e = load_err("a:\n\tb: 1\n", 9, PLATCI_ESYNTAX, &diag);
	cr_assert_eq(e->line, 2);
	platci_diag_free(diag);
}

Test(doc, invalid_utf8_is_rejected_with_a_position)
{
	platci_diag *diag;
	const platci_diag_entry *e = load_err("a: ok\nb: \xff\xfe\n", 12, PLATCI_ESYNTAX, &diag);
	cr_assert_eq(e->line, 2, "line %zu", e->line);
	cr_assert_eq(e->offset, 9);
	platci_diag_free(diag);
}

Test(doc, deep_nesting_hits_the_limit)
{
	size_t depth = 10000, n = 0;
	char *y = malloc(depth * 2 + 1);
	platci_diag *diag;

	for (size_t i = 0; i < depth; i++)
		y[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		y[n++] = ']';
	y[n] = '\0';
	const platci_diag_entry *e = load_err(y, n, PLATCI_ELIMIT, &diag);
	cr_assert(strstr(e->message, "nesting") != NULL);
	platci_diag_free(diag);
	free(y);
}

Test(doc, alias_bomb_hits_the_limit)
{
	const char *y =
		"a: &a [x,x,x,x,x,x,x,x,x,x]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	platci_diag *diag;
	const platci_diag_entry *e = load_err(y, strlen(y), PLATCI_ELIMIT, &diag);
	cr_assert(strstr(e->message, "alias") != NULL);
	platci_diag_free(diag);
}

Test(doc, a_hundred_thousand_aliases_of_a_scalar_are_fine_but_bounded)
{
	size_t count = 100000, n = 0;
	char *y = malloc(count * 6 + 64);
	platci_doc *doc = NULL;
	platci_doc_options opts = PLATCI_DOC_OPTIONS_INIT;

	n += (size_t)snprintf(y, 64, "a: &a x\nb: [");
	for (size_t i = 0; i < count; i++)
		n += (size_t)snprintf(y + n, 8, "*a,");
	y[n - 1] = ']';
	y[n] = '\0';
	cr_assert_eq(platci_doc_load_buffer(&doc, "t", y, n, NULL, NULL), 0);
	platci_doc_free(doc);
	opts.max_alias_nodes = 1000;
	cr_assert_eq(platci_doc_load_buffer(&doc, "t", y, n, &opts, NULL), PLATCI_ELIMIT);
	free(y);
}

Test(doc, undefined_alias_is_an_error)
{
	platci_diag *diag;
	load_err("a: *nope\n", 9, PLATCI_ESYNTAX, &diag);
	platci_diag_free(diag);
}

Test(doc, file_errors)
{
	platci_doc *doc = NULL;
	char *dir = th_tmpdir();
	platci_diag *diag = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_doc_load_file(&doc, "/nonexistent/x.yaml", NULL, diag), PLATCI_ENOTFOUND);
	cr_assert_eq(platci_doc_load_file(&doc, dir, NULL, diag), PLATCI_EIO);
	cr_assert_eq(platci_diag_count(diag), 2);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
}

Test(doc, file_size_limit)
{
	platci_doc_options opts = PLATCI_DOC_OPTIONS_INIT;
	char *dir = th_tmpdir();
	char *p = th_write(dir, "big.yaml", "a: 0123456789\n", 14);
	platci_doc *doc = NULL;

	opts.max_file_size = 10;
	cr_assert_eq(platci_doc_load_file(&doc, p, &opts, NULL), PLATCI_ELIMIT);
	th_rmrf(dir);
	free(dir);
	free(p);
}

Test(doc, scalar_styles_and_nulls)
{
	platci_doc *doc = load_ok("a: 'x'\nb: |\n  lit\nc: >\n  fold\nd: ~\ne:\nf: \"\"\n");
	const platci_node *r = platci_doc_root_at(doc, 0);
	cr_assert_eq(platci_node_style_of(platci_node_get(r, "a")), PLATCI_STYLE_SINGLE_QUOTED);
	cr_assert_eq(platci_node_style_of(platci_node_get(r, "b")), PLATCI_STYLE_LITERAL);
	cr_assert_eq(platci_node_style_of(platci_node_get(r, "c")), PLATCI_STYLE_FOLDED);
	cr_assert(platci_node_is_null(platci_node_get(r, "d")));
	cr_assert(platci_node_is_null(platci_node_get(r, "e")));
	cr_assert(!platci_node_is_null(platci_node_get(r, "f")));
	platci_doc_free(doc);
}
