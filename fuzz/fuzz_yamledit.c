/*
 * Fuzzes the in-place YAML editor the way promotion uses it: one scalar of
 * the input (picked by the input's length) is replaced with a value
 * (picked the same way), then the result is parsed again. Only the
 * targeted scalar may change: every byte before and after the edit is
 * kept, the tree has the same shape, every other scalar reads the same,
 * and the edited one reads back as the new value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const values[] = { "v1.2.3", "1.10", "true", "a: b", "it's", "x\"y\\z", "", "#x",
	"0755", "~", "2026-01-31", "- a", "a, b", "[x]", "{y}", " lead", "sha256:0f3a" };

typedef struct pick {
	size_t want, seen;
	const platci_node *hit;
} pick;

/* Editable scalars: plain or quoted, untagged, mapping values or sequence items. */
static int editable(const platci_node *n)
{
	platci_node_style st = platci_node_style_of(n);

	return platci_node_type_of(n) == PLATCI_NODE_SCALAR && !platci_node_tag(n) &&
	       (st == PLATCI_STYLE_PLAIN || st == PLATCI_STYLE_SINGLE_QUOTED ||
		       st == PLATCI_STYLE_DOUBLE_QUOTED);
}

static void find(pick *p, const platci_node *n, int depth)
{
	if (!n || p->hit || depth > 64)
		return;
	if (platci_node_type_of(n) == PLATCI_NODE_SCALAR) {
		if (editable(n) && p->seen++ == p->want)
			p->hit = n;
		return;
	}
	for (size_t i = 0; i < platci_node_count(n); i++)
		find(p,
			platci_node_type_of(n) == PLATCI_NODE_MAPPING ? platci_node_value_at(n, i)
								      : platci_node_item_at(n, i),
			depth + 1);
}

/* 0 when @p a and @p b match, except that @p target (in a) must read @p value in b. */
static int same(const platci_node *a, const platci_node *b, const platci_node *target,
	const char *value, int depth)
{
	size_t la, lb;
	const char *sa, *sb;

	if (!a || !b || platci_node_type_of(a) != platci_node_type_of(b) || depth > 64)
		return a == b ? 0 : -1;
	if (platci_node_type_of(a) == PLATCI_NODE_SCALAR) {
		sa = platci_node_scalar(a, &la);
		sb = platci_node_scalar(b, &lb);
		if (a == target)
			return strlen(value) == lb && !memcmp(value, sb, lb) ? 0 : -1;
		/* an alias of the edited scalar reads the new value too */
		if (platci_node_start(a).offset == platci_node_start(target).offset)
			return 0;
		return la == lb && !memcmp(sa, sb, la) ? 0 : -1;
	}
	if (platci_node_count(a) != platci_node_count(b))
		return -1;
	for (size_t i = 0; i < platci_node_count(a); i++) {
		if (platci_node_type_of(a) == PLATCI_NODE_MAPPING &&
			(same(platci_node_key_at(a, i), platci_node_key_at(b, i), target, value, depth + 1) ||
				same(platci_node_value_at(a, i), platci_node_value_at(b, i), target,
					value, depth + 1)))
			return -1;
		if (platci_node_type_of(a) == PLATCI_NODE_SEQUENCE &&
			same(platci_node_item_at(a, i), platci_node_item_at(b, i), target, value, depth + 1))
			return -1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_doc_options dopt = PLATCI_DOC_OPTIONS_INIT;
	platci_doc *before = NULL, *after = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	pick p = { 0, 0, NULL };
	platci_yamledit e;
	size_t d;

	dopt.max_depth = 64;
	dopt.max_alias_nodes = 10000;
	if (platci_doc_load_buffer(&before, "fuzz.yaml", (const char *)data, size, &dopt, NULL) < 0)
		goto done;
	p.want = size % 7;
	for (d = 0; d < platci_doc_count(before) && !p.hit; d++)
		find(&p, platci_doc_root_at(before, d), 0);
	if (!p.hit)
		goto done;
	e.start = platci_node_start(p.hit).offset;
	e.end = platci_node_end(p.hit).offset;
	e.value = values[size % (sizeof(values) / sizeof(values[0]))];
	e.style = platci_node_style_of(p.hit);
	e.raw = 0;
	if (platci_yamledit_apply(&out, (const char *)data, size, &e, 1, "fuzz.yaml", NULL) < 0)
		goto done; /* refused (a value it cannot write here): fine */
	/* every byte outside the edit is kept */
	if (out.size < e.start + (size - e.end) || memcmp(out.ptr, data, e.start) ||
		memcmp(out.ptr + out.size - (size - e.end), data + e.end, size - e.end))
		abort();
	if (platci_doc_load_buffer(&after, "fuzz.yaml", out.ptr, out.size, &dopt, NULL) < 0 ||
		platci_doc_count(after) != platci_doc_count(before))
		abort(); /* an edit broke the file */
	for (size_t i = 0; i < platci_doc_count(before); i++)
		if (same(platci_doc_root_at(before, i), platci_doc_root_at(after, i), p.hit, e.value, 0))
			abort(); /* something else changed, or the value does not read back */
done:
	platci_buf_dispose(&out);
	platci_doc_free(after);
	platci_doc_free(before);
	return 0;
}
