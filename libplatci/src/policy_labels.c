/*
 * The labels kustomize sets on an object, as YAML nodes: a rule that reads
 * `metadata.labels.team` must see a label the overlays add the same way it
 * sees one the document writes.
 */
#include "policy_int.h"
#include "platci/buf.h"
#include "platci/errors.h"
#include "util/banned.h"

/* Writes @p s as a YAML double-quoted scalar. */
static void put_quoted(platci_buf *b, const char *s)
{
	platci_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			platci_buf_printf(b, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			platci_buf_printf(b, "\\x%02x", ch);
		else
			platci_buf_putc(b, (char)ch);
	}
	platci_buf_putc(b, '"');
}

static void put_map(platci_buf *b, const char *name, const char *const *kv)
{
	platci_buf_printf(b, "%s: {", name);
	for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2) {
		if (i)
			platci_buf_puts(b, ", ");
		put_quoted(b, kv[i]);
		platci_buf_puts(b, ": ");
		put_quoted(b, kv[i + 1]);
	}
	platci_buf_puts(b, "}\n");
}

int platci_policy__inherited(platci_doc **doc, const platci_node **m, const platci_node **tmpl,
	const platci_policy_target *t)
{
	platci_buf y = PLATCI_BUF_INIT;
	const platci_node *root, *mm, *tm;
	int error;

	*doc = NULL;
	*m = *tmpl = NULL;
	if (!(t->labels && t->labels[0]) && !(t->template_labels && t->template_labels[0]))
		return 0;
	put_map(&y, "m", t->labels);
	put_map(&y, "t", t->template_labels);
	if (y.error) {
		platci_buf_dispose(&y);
		return PLATCI_ENOMEM;
	}
	error = platci_doc_load_buffer(doc, "(inherited labels)", y.ptr, y.size, NULL, NULL);
	platci_buf_dispose(&y);
	if (error < 0) {
		platci_doc_free(*doc);
		*doc = NULL;
		return error == PLATCI_ENOMEM ? error : 0;
	}
	root = platci_doc_root_at(*doc, 0);
	mm = platci_node_get(root, "m");
	tm = platci_node_get(root, "t");
	*m = platci_node_count(mm) ? mm : NULL;
	*tmpl = platci_node_count(tm) ? tm : NULL;
	return 0;
}
