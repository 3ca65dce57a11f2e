#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_helpers.h"

Test(yamledit, values_that_would_change_meaning_need_quotes)
{
	static const char *const quote[] = { "", "42", "1.10", "1e3", "0755", "0x1F", "-1", "+1",
		".5", "1_000", "1:20", ".inf", "-.Inf", ".NaN", "true", "False", "on", "OFF", "yes",
		"n", "~", "null", "NULL", "2026-01-31", "=", "<<", " lead", "trail ", "a: b",
		"a #b", "x:", "[a]", "{a}", "a,b", "*ref", "&a", "!tag", "|", ">", "%x", "@x", "`x",
		"'x", "\"x", "#x", "- x", "?x", NULL };
	static const char *const plain[] = { "1.2.3", "v1", "6.5.3", "sha256:abcdef",
		"ghcr.io/a/b:1.0", "registry:5000/app", "1.2.3-rc.1", "${VERSION}", "a#b", "latest",
		"1.0.0+build.5", "v0.1.0", "main@sha1:0123", NULL };

	for (size_t i = 0; quote[i]; i++)
		cr_assert_eq(platci_yamledit_needs_quotes(quote[i]), 1, "\"%s\" should need quotes",
			quote[i]);
	for (size_t i = 0; plain[i]; i++)
		cr_assert_eq(platci_yamledit_needs_quotes(plain[i]), 0, "\"%s\" can stay plain", plain[i]);
}

static char *render(const char *v, platci_node_style style, int *rc)
{
	platci_buf b = PLATCI_BUF_INIT;
	*rc = platci_yamledit_render_scalar(&b, v, style);
	return platci_buf_detach(&b);
}

Test(yamledit, render_keeps_the_style_and_escapes)
{
	int rc;
	char *s;

	s = render("1.2.3", PLATCI_STYLE_PLAIN, &rc);
	cr_assert_str_eq(s, "1.2.3");
	platci_free(s);
	s = render("42", PLATCI_STYLE_PLAIN, &rc);
	cr_assert_str_eq(s, "\"42\"");
	platci_free(s);
	s = render("it's", PLATCI_STYLE_SINGLE_QUOTED, &rc);
	cr_assert_str_eq(s, "'it''s'");
	platci_free(s);
	s = render("a\"b\\c", PLATCI_STYLE_DOUBLE_QUOTED, &rc);
	cr_assert_str_eq(s, "\"a\\\"b\\\\c\"");
	platci_free(s);
	s = render("x", PLATCI_STYLE_LITERAL, &rc);
	cr_assert_eq(rc, PLATCI_EDATA);
	platci_free(s);
	s = render("a\nb", PLATCI_STYLE_DOUBLE_QUOTED, &rc);
	cr_assert_eq(rc, PLATCI_EDATA);
	platci_free(s);
}

Test(yamledit, apply_touches_only_the_ranges)
{
	const char *src =
		"# head\r\na: 1.0.0 # {\"$imagepolicy\": \"n:p:tag\"}\r\nb: '7'\r\nc: |\r\n  ${X}\r\n";
	platci_yamledit e[2] = { { 11, 16, "1.1.0", PLATCI_STYLE_PLAIN, 0 },
		{ 0, 0, NULL, PLATCI_STYLE_SINGLE_QUOTED, 0 } };
	platci_buf out = PLATCI_BUF_INIT;
	const char *b = strstr(src, "'7'");

	e[1].start = (size_t)(b - src);
	e[1].end = e[1].start + 3;
	e[1].value = "8";
	cr_assert_eq(platci_yamledit_apply(&out, src, strlen(src), e, 2, "t.yaml", NULL), 0);
	cr_assert_str_eq(out.ptr,
		"# head\r\na: 1.1.0 # {\"$imagepolicy\": \"n:p:tag\"}\r\nb: '8'\r\nc: |\r\n  ${X}\r\n");
	platci_buf_dispose(&out);
}

Test(yamledit, overlapping_or_outside_edits_are_refused)
{
	platci_yamledit e[2] = { { 0, 3, "x", PLATCI_STYLE_PLAIN, 0 },
		{ 2, 4, "y", PLATCI_STYLE_PLAIN, 0 } };
	platci_buf out = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_yamledit_apply(&out, "abcdef", 6, e, 2, "t", diag), PLATCI_EINVALID);
	e[1].start = 5;
	e[1].end = 9;
	cr_assert_eq(platci_yamledit_apply(&out, "abcdef", 6, e, 2, "t", diag), PLATCI_EINVALID);
	cr_assert_eq(platci_diag_count(diag), 2);
	platci_buf_dispose(&out);
	platci_diag_free(diag);
}

Test(yamledit, a_block_scalar_is_refused_with_its_position)
{
	platci_yamledit e = { 9, 14, "x", PLATCI_STYLE_LITERAL, 0 };
	platci_buf out = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_yamledit_apply(&out, "a: 1\nb: |\n  x\n", 15, &e, 1, "t.yaml", diag),
		PLATCI_EDATA);
	cr_assert_eq(platci_diag_at(diag, 0)->line, 2);
	cr_assert_eq(platci_diag_at(diag, 0)->column, 5);
	cr_assert_str_eq(platci_diag_at(diag, 0)->source, "t.yaml");
	platci_buf_dispose(&out);
	platci_diag_free(diag);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	while (d && (de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

Test(yamledit, files_are_written_all_or_nothing)
{
	char *dir = th_tmpdir(), *a = th_write(dir, "a.yaml", "a: 1\n", 5), *b, *bad, *got;
	platci_yamledit_files *files = NULL;
	platci_diag *diag = NULL;
	size_t bad_len = strlen(dir) + 32;

	b = th_write(dir, "b.yaml", "b: 1\n", 5);
	chmod(b, 0600);
	bad = malloc(bad_len);
	snprintf(bad, bad_len, "%s/missing/c.yaml", dir);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_yamledit_files_new(&files), 0);
	cr_assert_eq(platci_yamledit_files_put(files, a, "a: 2\n", 5), 0);
	cr_assert_eq(platci_yamledit_files_put(files, bad, "c: 2\n", 5), 0);
	cr_assert_eq(platci_yamledit_files_commit(files, diag), PLATCI_EIO);
	got = th_read(a, NULL);
	cr_assert_str_eq(got, "a: 1\n", "a file changed although another could not be written");
	free(got);
	cr_assert_eq(count_entries(dir), 2, "temporary files were left behind");
	cr_assert_geq(platci_diag_count(diag), 1);
	platci_yamledit_files_free(files);

	cr_assert_eq(platci_yamledit_files_new(&files), 0);
	cr_assert_eq(platci_yamledit_files_put(files, a, "a: 3\n", 5), 0);
	cr_assert_eq(platci_yamledit_files_put(files, b, "b: 0\n", 5), 0);
	cr_assert_eq(platci_yamledit_files_put(files, b, "b: 3\n", 5), 0);
	cr_assert_eq(platci_yamledit_files_count(files), 2);
	cr_assert_eq(platci_yamledit_files_commit(files, diag), 0);
	got = th_read(b, NULL);
	cr_assert_str_eq(got, "b: 3\n");
	free(got);
	{
		struct stat st;
		cr_assert_eq(stat(b, &st), 0);
		cr_assert_eq(st.st_mode & 0777, 0600, "permissions were not kept");
	}
	platci_yamledit_files_free(files);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
	free(a);
	free(b);
	free(bad);
}

/*
 * Found by fuzz_yamledit: an empty plain scalar has no bytes, and libyaml
 * places it where the next token starts, so an edit there wrote the value
 * into the next key ("a:\nb: 1" became "a:\nvb: 1").
 */
Test(yamledit, an_empty_scalar_is_refused_not_written_into_the_next_token)
{
	const char *src = "a:\nb: 1\n";
	platci_doc *doc = NULL;
	platci_diag *diag = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	const platci_node *a;
	platci_yamledit e = { 0, 0, "v", PLATCI_STYLE_PLAIN, 0 };

	cr_assert_eq(platci_doc_load_buffer(&doc, "t.yaml", src, strlen(src), NULL, NULL), 0);
	a = platci_node_get(platci_doc_root_at(doc, 0), "a");
	cr_assert(a);
	e.start = platci_node_start(a).offset;
	e.end = platci_node_end(a).offset;
	cr_assert_eq(e.start, e.end, "libyaml gives the empty scalar no bytes");
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_expect_eq(platci_yamledit_apply(&out, src, strlen(src), &e, 1, "t.yaml", diag), PLATCI_EDATA);
	cr_expect_eq(platci_diag_count(diag), 1);
	cr_expect_neq(strstr(platci_diag_at(diag, 0)->message, "empty"), NULL);
	platci_buf_dispose(&out);
	platci_diag_free(diag);
	platci_doc_free(doc);
}

/*
 * Found by fuzz_yamledit: the parser's range of an anchored scalar starts
 * at `&anchor`, and replacing the whole range dropped the anchor, leaving
 * its alias dangling (the file no longer parsed).
 */
Test(yamledit, an_anchored_scalar_keeps_its_anchor)
{
	const char *src = "- &a \"c\"\n- *a\n";
	platci_doc *doc = NULL, *after = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	const platci_node *c;
	platci_yamledit e = { 0, 0, "d", PLATCI_STYLE_DOUBLE_QUOTED, 0 };

	cr_assert_eq(platci_doc_load_buffer(&doc, "t.yaml", src, strlen(src), NULL, NULL), 0);
	c = platci_node_item_at(platci_doc_root_at(doc, 0), 0);
	e.start = platci_node_start(c).offset;
	e.end = platci_node_end(c).offset;
	cr_assert_eq(platci_yamledit_apply(&out, src, strlen(src), &e, 1, "t.yaml", NULL), 0);
	cr_expect_str_eq(out.ptr, "- &a \"d\"\n- *a\n");
	cr_assert_eq(platci_doc_load_buffer(&after, "t.yaml", out.ptr, out.size, NULL, NULL), 0);
	cr_expect(platci_node_is(platci_node_item_at(platci_doc_root_at(after, 0), 1), "d"));
	platci_buf_dispose(&out);
	platci_doc_free(after);
	platci_doc_free(doc);
}

/* Found by fuzz_yamledit: the parser's offsets in a UTF-16 file count its UTF-8 reading. */
Test(yamledit, a_utf16_file_is_refused)
{
	const char src[] = "\xfe\xff\0a\0:\0 \0b\0\n";
	platci_yamledit e = { 6, 8, "c", PLATCI_STYLE_PLAIN, 0 };
	platci_buf out = PLATCI_BUF_INIT;

	cr_expect_eq(platci_yamledit_apply(&out, src, sizeof(src) - 1, &e, 1, "t.yaml", NULL), PLATCI_EDATA);
	platci_buf_dispose(&out);
}

/* Found by fuzz_yamledit: libyaml ends an anchor name at ':', so "&a:b" is `&a` then ":b". */
Test(yamledit, an_anchor_name_ends_where_libyaml_ends_it)
{
	const char *src = "- &a:b\n";
	platci_yamledit e = { 2, 6, "c", PLATCI_STYLE_PLAIN, 0 };
	platci_buf out = PLATCI_BUF_INIT;

	cr_assert_eq(platci_yamledit_apply(&out, src, strlen(src), &e, 1, "t.yaml", NULL), 0);
	cr_expect_str_eq(out.ptr, "- &a c\n");
	platci_buf_dispose(&out);
}

/*
 * Found by fuzz_yamledit: a plain scalar followed by a blank line that
 * holds a tab reads fine, since libyaml folds that line into the plain
 * scalar; once the new value needs quotes ("- a"), the same line is a
 * token error. The edit is refused instead of writing a file YAML cannot
 * read.
 */
Test(yamledit, an_edit_that_would_leave_unreadable_yaml_is_refused)
{
	const char *src = "foo: 1\n \t\nbar: 2\n";
	platci_doc *doc = NULL;
	platci_diag *diag = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	const platci_node *foo;
	platci_yamledit e = { 0, 0, "- a", PLATCI_STYLE_PLAIN, 0 };

	cr_assert_eq(platci_doc_load_buffer(&doc, "t.yaml", src, strlen(src), NULL, NULL), 0);
	foo = platci_node_get(platci_doc_root_at(doc, 0), "foo");
	cr_assert(foo);
	e.start = platci_node_start(foo).offset;
	e.end = platci_node_end(foo).offset;
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_expect_eq(platci_yamledit_apply(&out, src, strlen(src), &e, 1, "t.yaml", diag), PLATCI_EDATA);
	cr_expect_eq(platci_diag_count(diag), 1);
	cr_expect_neq(strstr(platci_diag_at(diag, 0)->message, "cannot read"), NULL);
	/* the same value where nothing follows is written, quoted */
	e.value = "- a";
	platci_diag_free(diag);
	diag = NULL;
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_expect_eq(platci_yamledit_apply(&out, "foo: 1\n", 7, &e, 1, "t.yaml", diag), 0);
	cr_expect_eq(out.size, strlen("foo: \"- a\"\n"));
	cr_expect_eq(memcmp(out.ptr, "foo: \"- a\"\n", out.size), 0);
	platci_buf_dispose(&out);
	platci_diag_free(diag);
	platci_doc_free(doc);
}
