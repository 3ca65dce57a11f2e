/* The rules-file walker: every key type, and every mistake a person makes, with its position. */
#include "test_helpers.h"
#include "rulefile.h"

typedef struct item {
	const char *id;
	const char *key;
} item;

typedef struct thing {
	const char *name;
	long count;
	int on;
	int color;
	double ratio;
	rf_strs tags;
	rf_expiry expires;
	rf_list items;
	const char *env;
	rf_strs envs;
	const platci_node *self;
	rf_list per_env;
} thing;

static const rf_key item_keys[] = {
	{ .name = NULL, .type = RF_MAPKEY, .offset = offsetof(item, key) },
	{ RF_KEY("id", RF_STR, RF_REQUIRED | RF_NONEMPTY, item, id) },
};
static const rf_table item_table = RF_TABLE("an item", item_keys, item, NULL, NULL);

static const char *const colors[] = { "red", "green", "blue", NULL };

static const rf_key thing_keys[] = {
	{ .name = NULL, .type = RF_SELF, .offset = offsetof(thing, self) },
	{ RF_KEY("name", RF_STR, RF_REQUIRED, thing, name) },
	{ RF_KEY("count", RF_INT, 0, thing, count), .min = 1, .max = 10 },
	{ RF_KEY("on", RF_BOOL, 0, thing, on) },
	{ RF_KEY("color", RF_ENUM, 0, thing, color), .values = colors },
	{ RF_KEY("ratio", RF_NUM, 0, thing, ratio), .max = 1 },
	{ RF_KEY("tags", RF_STRS, 0, thing, tags) },
	{ RF_KEY("expires", RF_EXPIRY, 0, thing, expires) },
	{ RF_KEY("items", RF_LIST, 0, thing, items), .table = &item_table },
	{ RF_KEY("env", RF_ENV, 0, thing, env) },
	{ RF_KEY("envs", RF_ENVS, 0, thing, envs) },
	{ RF_KEY("per_env", RF_ENV_MAP, 0, thing, per_env), .table = &item_table },
};
static const rf_table thing_table = RF_TABLE("a thing", thing_keys, thing, NULL, NULL);

static const char *const envs[] = { "dev-uaenorth", "stg-uaenorth", "prd-uaenorth" };

typedef struct walked {
	platci_doc *doc;
	platci_diag *diag;
	platci_arena arena;
	rf_ctx c;
	thing t;
	int status;
} walked;

static void walk(walked *w, const char *yaml)
{
	memset(w, 0, sizeof(*w));
	cr_assert_eq(platci_diag_new(&w->diag), 0);
	cr_assert_eq(platci_doc_load_buffer(&w->doc, "t.yaml", yaml, strlen(yaml), NULL, w->diag),
		0, "%s", yaml);
	platci_arena_init(&w->arena, 1024);
	platci_rulefile__init(&w->c, "t.yaml", NULL, &w->arena, w->diag);
	w->c.envs = envs;
	w->c.nenvs = 3;
	w->c.zone = 240;
	platci_rulefile__walk(&w->c, platci_doc_root_at(w->doc, 0), &thing_table, &w->t);
	w->status = platci_rulefile__status(&w->c);
}

static void done(walked *w)
{
	platci_doc_free(w->doc);
	platci_diag_free(w->diag);
	platci_arena_dispose(&w->arena);
}

/* The one diagnostic of a walk: its line, column and message. */
static void expect_one(const char *yaml, size_t line, size_t column, const char *message)
{
	walked w;
	const platci_diag_entry *e;

	walk(&w, yaml);
	cr_assert_eq(w.status, PLATCI_EDATA, "%s", yaml);
	cr_assert_eq(platci_diag_count(w.diag), 1, "%s: %zu diagnostics, first: %s", yaml,
		platci_diag_count(w.diag), platci_diag_at(w.diag, 0)->message);
	e = platci_diag_at(w.diag, 0);
	cr_assert_str_eq(e->source, "t.yaml");
	cr_assert_eq(e->code, PLATCI_EDATA);
	cr_assert_str_eq(e->message, message);
	cr_assert_eq(e->line, line, "%s: line %zu", message, e->line);
	cr_assert_eq(e->column, column, "%s: column %zu", message, e->column);
	done(&w);
}

Test(rulefile, stores_every_type)
{
	walked w;
	const item *items;

	walk(&w, "name: x\ncount: 3\non: true\ncolor: blue\nratio: 0.5\ntags: [a, b]\n"
		 "expires: 2026-12-31\nitems: [{id: one}, {id: two}]\nenv: stg-uaenorth\n"
		 "envs: ['!dev-uaenorth', 'prd-*']\nper_env: {prd-uaenorth: {id: p}}\n");
	cr_assert_eq(w.status, 0, "%s",
		platci_diag_count(w.diag) ? platci_diag_at(w.diag, 0)->message : "");
	cr_assert_str_eq(w.t.name, "x");
	cr_assert_eq(w.t.count, 3);
	cr_assert_eq(w.t.on, 1);
	cr_assert_eq(w.t.color, 2);
	cr_assert_float_eq(w.t.ratio, 0.5, 1e-9);
	cr_assert_eq(w.t.tags.count, 2);
	cr_assert_str_eq(w.t.tags.items[1], "b");
	cr_assert_null(w.t.tags.items[2]);
	cr_assert_str_eq(w.t.expires.text, "2026-12-31");
	/* 2027-01-01T00:00:00+04:00 */
	cr_assert_eq(w.t.expires.at, (time_t)1798747200);
	items = w.t.items.items;
	cr_assert_eq(w.t.items.count, 2);
	cr_assert_str_eq(items[1].id, "two");
	cr_assert_str_eq(w.t.env, "stg-uaenorth");
	cr_assert_eq(w.t.envs.count, 2);
	cr_assert_eq(w.t.per_env.count, 1);
	cr_assert_str_eq(((const item *)w.t.per_env.items)[0].key, "prd-uaenorth");
	cr_assert_eq(w.t.self, platci_doc_root_at(w.doc, 0));
	done(&w);
}

Test(rulefile, a_scalar_is_a_list_of_one_and_nothing_is_absent)
{
	walked w;

	walk(&w, "name: x\ntags: solo\nitems:\nper_env:\n");
	cr_assert_eq(w.status, 0);
	cr_assert_eq(w.t.tags.count, 1);
	cr_assert_str_eq(w.t.tags.items[0], "solo");
	cr_assert_null(w.t.items.items);
	cr_assert_null(w.t.per_env.items);
	done(&w);
}

/* Every mistake a person makes in a rules file, and what the walker says, where. */
static const struct {
	const char *yaml;
	size_t line, column;
	const char *message;
} mistakes[] = {
	{ "name: x\ncuont: 3\n", 2, 1, "unknown key \"cuont\" in a thing; did you mean \"count\"?" },
	{ "name: x\nitems: [{id: a, idd: b}]\n", 2, 17, "unknown key \"idd\" in an item; did you mean \"id\"?" },
	{ "name: x\nzzzzzz: 1\n", 2, 1,
		"unknown key \"zzzzzz\" in a thing (name, count, on, color, ratio, tags, "
		"expires, items, env, envs or per_env)" },
	{ "count: 3\n", 1, 1, "a thing needs \"name\"" },
	{ "name: [x]\n", 1, 7, "\"name\" must be a string" },
	{ "name: x\ncount: 11\n", 2, 8, "\"count\" must be a whole number from 1 to 10, not \"11\"" },
	{ "name: x\ncount: 2.5\n", 2, 8, "\"count\" must be a whole number from 1 to 10, not \"2.5\"" },
	{ "name: x\non: yes\n", 2, 5, "\"on\" must be true or false" },
	{ "name: x\nratio: 2\n", 2, 8, "\"ratio\" must be a number from 0 to 1, not \"2\"" },
	{ "name: x\ntags: {a: 1}\n", 2, 7, "\"tags\" must be a list of strings" },
	{ "name: x\nitems: {id: a}\n", 2, 8, "\"items\" must be a list, each item an item" },
	{ "name: x\nitems: [{id: \"\"}]\n", 2, 14, "\"id\" must not be empty" },
	{ "[1]\n", 1, 1, "a thing must be a mapping" },
	{ "name: x\ncolor: gren\n", 2, 8,
		"\"color\" must be red, green or blue, not \"gren\"; did you mean \"green\"?" },
	{ "name: x\ncolor: purple\n", 2, 8, "\"color\" must be red, green or blue, not \"purple\"" },
	{ "name: x\nenv: stagin\n", 2, 6, "env: unknown environment \"stagin\"; did you mean \"stg-uaenorth\"?" },
	{ "name: x\nenvs: [prodution]\n", 2, 8,
		"envs: unknown environment \"prodution\"; did you mean \"prd-uaenorth\"?" },
	{ "name: x\nenvs: ['!qa']\n", 2, 8,
		"envs: unknown environment \"qa\" (platci.yaml has dev-uaenorth, stg-uaenorth or "
		"prd-uaenorth)" },
	{ "name: x\nenvs: ['prod-*']\n", 2, 8,
		"envs: \"prod-*\" matches no environment of platci.yaml (dev-uaenorth, "
		"stg-uaenorth or prd-uaenorth)" },
	{ "name: x\nper_env: {stg: {id: s}}\n", 2, 11,
		"per_env: unknown environment \"stg\"; did you mean \"stg-uaenorth\"?" },
	{ "name: x\nexpires: 2026-02-31\n", 2, 10,
		"\"expires\": 2026-02-31 is not a date (2026-02 has 28 days)" },
	{ "name: x\nexpires: 2026-13-01\n", 2, 10,
		"\"expires\": 2026-13-01 is not a date (there is no month 13)" },
	{ "name: x\nexpires: 2026-02-29\n", 2, 10,
		"\"expires\": 2026-02-29 is not a date (2026-02 has 28 days)" },
	{ "name: x\nexpires: 2026-04-31\n", 2, 10,
		"\"expires\": 2026-04-31 is not a date (2026-04 has 30 days)" },
	{ "name: x\nexpires: soon\n", 2, 10,
		"\"expires\" must be a date YYYY-MM-DD (valid through that day) or a time with a "
		"zone such as 2026-12-31T18:00:00Z, not \"soon\"" },
};

Test(rulefile, every_mistake_is_one_diagnostic_at_its_place)
{
	for (size_t i = 0; i < sizeof(mistakes) / sizeof(mistakes[0]); i++)
		expect_one(mistakes[i].yaml, mistakes[i].line, mistakes[i].column, mistakes[i].message);
}

Test(rulefile, without_a_config_names_are_not_checked)
{
	walked w;

	memset(&w, 0, sizeof(w));
	cr_assert_eq(platci_diag_new(&w.diag), 0);
	platci_arena_init(&w.arena, 1024);
	platci_rulefile__init(&w.c, "t.yaml", NULL, &w.arena, w.diag);
	cr_assert_null(w.c.envs);
	platci_rulefile__env(&w.c, NULL, "nowhere", "env");
	cr_assert_eq(platci_rulefile__status(&w.c), 0);
	done(&w);
}

Test(rulefile, leap_days_are_days)
{
	walked w;

	walk(&w, "name: x\nexpires: 2028-02-29\n");
	cr_assert_eq(w.status, 0, "2028 is a leap year");
	done(&w);
}

Test(rulefile, a_wrong_version_is_its_own_code)
{
	static const rf_key keys[] = { { .name = "version", .type = RF_VERSION } };
	static const rf_table t = RF_TABLE("a file", keys, thing, NULL, NULL);
	platci_doc *doc = NULL;
	platci_arena a;
	rf_ctx c;
	thing th;

	cr_assert_eq(platci_doc_load_buffer(&doc, "v.yaml", "version: 2\n", 11, NULL, NULL), 0);
	platci_arena_init(&a, 256);
	platci_rulefile__init(&c, "v.yaml", NULL, &a, NULL);
	platci_rulefile__walk(&c, platci_doc_root_at(doc, 0), &t, &th);
	cr_assert_eq(platci_rulefile__status(&c), PLATCI_EVERSION);
	platci_arena_dispose(&a);
	platci_doc_free(doc);
}

Test(rulefile, one_document_per_file)
{
	platci_doc *doc = NULL;
	platci_diag *d = NULL;
	const platci_node *root = (const platci_node *)&root;
	platci_arena a;
	rf_ctx c;

	cr_assert_eq(platci_diag_new(&d), 0);
	cr_assert_eq(platci_doc_load_buffer(&doc, "m.yaml", "a: 1\n---\nb: 2\n", 14, NULL, NULL), 0);
	platci_arena_init(&a, 256);
	platci_rulefile__init(&c, "m.yaml", NULL, &a, d);
	cr_assert_eq(platci_rulefile__root(&c, doc, &root), PLATCI_EDATA);
	cr_assert_null(root);
	cr_assert_eq(platci_diag_at(d, 0)->line, 3);
	platci_arena_dispose(&a);
	platci_doc_free(doc);
	platci_diag_free(d);
}

Test(rulefile, did_you_mean_is_near_or_nothing)
{
	static const char *const keys[] = { "name", "reason", "owner", "ticket", "expires" };
	static const char *const ids[] = { "dev-uaenorth", "stg-uaenorth", "prd-uaenorth", "prd-eu" };

	cr_assert_str_eq(platci_rulefile__suggest("nmae", keys, 5), "name", "a swap is one edit");
	cr_assert_str_eq(platci_rulefile__suggest("reson", keys, 5), "reason");
	cr_assert_str_eq(platci_rulefile__suggest("expiry", keys, 5), "expires");
	cr_assert_null(platci_rulefile__suggest("colour", keys, 5));
	cr_assert_null(platci_rulefile__suggest("x", keys, 5));
	cr_assert_str_eq(platci_rulefile__suggest("staging", ids, 3), "stg-uaenorth");
	cr_assert_str_eq(platci_rulefile__suggest("development", ids, 3), "dev-uaenorth");
	/* two environments abbreviate "prd": nothing is a guess */
	cr_assert_null(platci_rulefile__suggest("prod", ids, 4));
	cr_assert_str_eq(platci_rulefile__suggest("prd-eu1", ids, 4), "prd-eu");
}
