/*
 * The summary's escaping, byte for byte: a code cell keeps one cell on one
 * line (backticks and line breaks become ', a pipe \|), and a Mermaid label
 * turns quotes and angle brackets into #quot;, #lt;, #gt;, line breaks into
 * spaces, and cuts a hex run longer than 16 to its first 12 and "…" (a run
 * of 16 stays whole). The expected text follows those rules by hand.
 */
#include "test_helpers.h"
#include "promote.h"

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

Test(promote_render, code_cells_and_mermaid_labels_are_escaped)
{
	const char *names[] = { "stg", "prd" };
	const char *values[] = { "say \"hi\" <b>\r\nnow 0123456789abcdef", DIGEST };
	platci_promote_change c;
	platci_promotion p;
	platci_buf out = PLATCI_BUF_INIT;

	memset(&c, 0, sizeof(c));
	c.action = PLATCI_CHANGE_SET;
	c.key = "a|b`c\nd.tag";
	c.name = "web<1>";
	c.file = "f.yaml";
	c.line = 3;
	c.old_value = "v1|x";
	c.new_value = DIGEST;
	memset(&p, 0, sizeof(p));
	p.from = "stg";
	p.to = "prd";
	p.changes = &c;
	p.nchanges = 1;
	p.env_names = names;
	p.nenvs = 2;
	p.env_values = values;
	cr_assert_eq(platci_promotion_render_summary(&out, &p), 0);
	cr_assert_not_null(strstr(out.ptr, "| `a\\|b'c'd.tag` | f.yaml:3 | `v1\\|x` | `" DIGEST "` |\n"),
		"%s", out.ptr);
	cr_assert_not_null(strstr(out.ptr,
				   "  e0[\"<b>stg</b><br/>web#lt;1#gt; tag: say #quot;hi#quot; #lt;b#gt;  "
				   "now 0123456789abcdef\"]\n"),
		"%s", out.ptr);
	cr_assert_not_null(strstr(out.ptr, "  e1[\"<b>prd</b><br/>web#lt;1#gt; tag: sha256:0123456789ab…\"]\n"),
		"%s", out.ptr);
	platci_buf_dispose(&out);
}
