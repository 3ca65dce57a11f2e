/* Flux postBuild substitution rules (kustomize-controller docs, "Post build variable substitution"). */
#include "test_helpers.h"

static const char *vars[] = { "APP", "web", "EMPTY", "", "TAG", "1.2.3", NULL };

static const char *lookup(const char *name, size_t len, void *payload)
{
	(void)payload;
	for (size_t i = 0; vars[i]; i += 2)
		if (strlen(vars[i]) == len && memcmp(vars[i], name, len) == 0)
			return vars[i + 1];
	return NULL;
}

static char *subst(const char *in, int *error, char **missing)
{
	platci_buf out = PLATCI_BUF_INIT, miss = PLATCI_BUF_INIT;
	*error = platci_render_substitute(&out, in, strlen(in), lookup, NULL, &miss);
	if (missing)
		*missing = platci_buf_detach(&miss);
	platci_buf_dispose(&miss);
	return platci_buf_detach(&out);
}

#define EXPECT(in, want) \
	do { \
		int e_; \
		char *got_ = subst(in, &e_, NULL); \
		cr_expect_eq(e_, 0, "%s", in); \
		cr_expect_str_eq(got_, want, "%s", in); \
		free(got_); \
	} while (0)

Test(render_substitute, forms)
{
	EXPECT("name: ${APP}", "name: web");
	EXPECT("${APP}-${TAG}", "web-1.2.3");
	EXPECT("x: ${MISSING}", "x: ");
	EXPECT("x: ${MISSING:=dflt}", "x: dflt");
	EXPECT("x: ${MISSING:-dflt}", "x: dflt");
	EXPECT("x: ${EMPTY:=dflt}", "x: dflt"); /* := and :- also replace an empty value */
	EXPECT("x: ${EMPTY=dflt}", "x: "); /* = and - only an undefined one */
	EXPECT("x: ${MISSING-d}", "x: d");
	EXPECT("x: ${APP:=other}", "x: web");
	EXPECT("x: ${MISSING:=${APP}-x}", "x: web-x"); /* a default may hold variables */
	EXPECT("cost: $5 and $APP", "cost: $5 and $APP"); /* a bare $var is left alone */
	EXPECT("keep: $${APP}", "keep: ${APP}"); /* the escape */
	EXPECT("odd: ${APP^}", "odd: ${APP^}"); /* not a form Flux documents: kept */
	EXPECT("bad: ${9X}", "bad: ${9X}"); /* not a variable name: kept */
	EXPECT("", "");
}

Test(render_substitute, missing_listed_once)
{
	int error;
	char *missing = NULL;
	char *out = subst("${A} ${B:=x} ${A} ${C}", &error, &missing);

	cr_assert_eq(error, 0);
	cr_expect_str_eq(out, " x  ");
	cr_expect_str_eq(missing, "A\nC\n");
	free(out);
	free(missing);
}

Test(render_substitute, unterminated)
{
	int error;
	char *out = subst("a: ${APP", &error, NULL);
	cr_expect_eq(error, PLATCI_ESYNTAX);
	free(out);
	out = subst("a: $${APP", &error, NULL);
	cr_expect_eq(error, PLATCI_ESYNTAX);
	free(out);
}

Test(render_substitute, names)
{
	cr_expect(platci_render_var_name_ok("_a1", 3));
	cr_expect(platci_render_var_name_ok("CLUSTER_NAME", 12));
	cr_expect_not(platci_render_var_name_ok("1a", 2));
	cr_expect_not(platci_render_var_name_ok("a-b", 3));
	cr_expect_not(platci_render_var_name_ok("", 0));
}
