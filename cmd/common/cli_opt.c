/*
 * The option tables: one parser and one --help for every runner. A runner
 * declares its options as rows (cli.h); the common flags are rows too, so
 * each flag is parsed, validated and documented in exactly one way.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define HELP_COLUMN 26

typedef struct common_vals {
	int help, version, no_color;
	const char *now;
} common_vals;

/* The common flags, pointing into @p c and @p v. */
static size_t common_table(cli_opt *t, cli *c, common_vals *v)
{
	const cli_opt rows[] = {
		{ CLI_OPT_VALUE, "config", 0, &c->config, 0, "FILE",
			"platci.yaml (default: $PLATCI_CONFIG, else found upwards from here)", CLI_NONEMPTY },
		{ CLI_OPT_VALUE, "reports", 0, &c->reports, 0, "DIR",
			"where reports go (default: platci-reports)", CLI_NONEMPTY },
		{ CLI_OPT_VALUE, "env", 0, &c->env, 0, "ENV", "the environment, where it applies", CLI_NONEMPTY },
		{ CLI_OPT_VALUE, "now", 0, &v->now, 0, "TIME",
			"the clock, RFC 3339 (for tests and replays)", 0 },
		{ CLI_OPT_SWITCH, "gitlab", 0, &c->gitlab_flag, 1, NULL,
			"use the GitLab API (default when CI_API_V4_URL and a token are set)", 0 },
		{ CLI_OPT_SWITCH, "no-gitlab", 0, &c->gitlab_flag, 0, NULL, "do not", 0 },
		{ CLI_OPT_SWITCH, "quiet", 'q', &c->quiet, 1, NULL, "print only problems", 0 },
		{ CLI_OPT_SWITCH, "no-color", 0, &v->no_color, 1, NULL, "no colour (so does NO_COLOR)", 0 },
		{ CLI_OPT_SWITCH, "pretty", 0, &c->pretty, 1, NULL,
			"indent JSON reports (they are compact by default)", 0 },
		{ CLI_OPT_SWITCH, "help", 'h', &v->help, 1, NULL, "this text", 0 },
		{ CLI_OPT_SWITCH, "version", 0, &v->version, 1, NULL, "the version", 0 },
	};

	memcpy(t, rows, sizeof(rows));
	return sizeof(rows) / sizeof(rows[0]);
}

#define MAX_COMMON 16

static const cli_opt *find_long(const cli_opt *t, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].type != CLI_OPT_ARG && t[i].type != CLI_OPT_ARGS &&
			strlen(t[i].name) == len && strncmp(t[i].name, name, len) == 0)
			return &t[i];
	return NULL;
}

static const cli_opt *find_short(const cli_opt *t, size_t n, char alias)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].alias && t[i].alias == alias)
			return &t[i];
	return NULL;
}

/* Appends @p item to the NULL-terminated list. 0 or -1. */
static int list_append(cli_list *l, char *item)
{
	if (l->count + 2 > l->alloc) {
		size_t n = l->alloc ? l->alloc * 2 : 8;
		char **grown = realloc(l->items, n * sizeof(*grown));
		if (!grown)
			return -1;
		l->items = grown;
		l->alloc = n;
	}
	l->items[l->count++] = item;
	l->items[l->count] = NULL;
	return 0;
}

/* Appends @p item, and remembers the list so that cli_dispose() frees it. */
static int list_push(cli *c, cli_list *l, char *item)
{
	size_t i;

	if (list_append(l, item) < 0)
		return -1;
	for (i = 0; i < c->nlists && c->lists[i] != l; i++)
		;
	if (i == c->nlists && c->nlists < sizeof(c->lists) / sizeof(c->lists[0]))
		c->lists[c->nlists++] = l;
	return 0;
}

/* Stores @p v (an argv string, which is ours to split) into the row's slot. */
static int store(cli *c, const cli_opt *o, char *v)
{
	if ((o->flags & CLI_NONEMPTY) && !*v)
		return cli_usage_error(c, "--%s needs a non-empty value", o->name);
	if (o->type == CLI_OPT_VALUE || o->type == CLI_OPT_ARG) {
		*(const char **)o->value = v;
		return CLI_CONTINUE;
	}
	if (!(o->flags & CLI_SPLIT_COMMAS))
		return list_push(c, o->value, v) < 0 ? CLI_EXIT_INTERNAL : CLI_CONTINUE;
	if (!v[strspn(v, ",")])
		return cli_usage_error(c, "--%s: \"%s\" names nothing", o->name, v);
	for (char *p = v; p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p && list_push(c, o->value, p) < 0)
			return CLI_EXIT_INTERNAL;
		p = comma ? comma + 1 : NULL;
	}
	return CLI_CONTINUE;
}

/* The next positional slot: an ARG still empty, else the ARGS list. */
static const cli_opt *positional(const cli_spec *spec)
{
	for (size_t i = 0; i < spec->nopts; i++)
		if (spec->opts[i].type == CLI_OPT_ARG && !*(const char **)spec->opts[i].value)
			return &spec->opts[i];
	for (size_t i = 0; i < spec->nopts; i++)
		if (spec->opts[i].type == CLI_OPT_ARGS)
			return &spec->opts[i];
	return NULL;
}

static int one_option(cli *c, const cli_opt *t, size_t n, int argc, char **argv, int *i)
{
	char *arg = argv[*i], *eq = NULL;
	const cli_opt *o;

	if (arg[1] == '-') {
		eq = strchr(arg + 2, '=');
		o = find_long(t, n, arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
	} else {
		o = arg[2] ? NULL : find_short(t, n, arg[1]);
	}
	if (!o)
		return cli_usage_error(c, "unknown argument \"%s\"", arg);
	if (o->type == CLI_OPT_SWITCH) {
		if (eq)
			return cli_usage_error(c, "--%s takes no value", o->name);
		*(int *)o->value = o->ival;
		return CLI_CONTINUE;
	}
	if (!eq && *i + 1 >= argc)
		return cli_usage_error(c, "--%s needs a value (--%s %s)", o->name, o->name,
			o->value_name ? o->value_name : "VALUE");
	return store(c, o, eq ? eq + 1 : argv[++*i]);
}

static int check_required(cli *c, const cli_spec *spec)
{
	for (size_t i = 0; i < spec->nopts; i++) {
		const cli_opt *o = &spec->opts[i];
		int missing;

		if (!(o->flags & CLI_REQUIRED))
			continue;
		if (o->type == CLI_OPT_VALUE || o->type == CLI_OPT_ARG)
			missing = !*(const char **)o->value;
		else if (o->type == CLI_OPT_SWITCH)
			missing = *(int *)o->value != o->ival;
		else
			missing = !((cli_list *)o->value)->count;
		if (missing && o->type == CLI_OPT_ARG)
			return cli_usage_error(c, "%s is required", o->name);
		if (missing && o->type == CLI_OPT_ARGS)
			return cli_usage_error(c, "at least one %s is required", o->name);
		if (missing)
			return cli_usage_error(c, "--%s%s%s is required", o->name,
				o->value_name ? " " : "", o->value_name ? o->value_name : "");
	}
	if (spec->need_env && !c->env)
		return cli_usage_error(c, "--env ENV is required");
	return CLI_CONTINUE;
}

static int push_input(cli_list *l, const char *v)
{
	return v ? list_append(l, (char *)v) : 0;
}

/*
 * Keeps every value the table stored (the table itself may live on the
 * runner's stack): reports.json hashes those that name regular files.
 */
static int note_inputs(cli *c, const cli_spec *spec)
{
	for (size_t i = 0; i < spec->nopts; i++) {
		const cli_opt *o = &spec->opts[i];
		if (o->type == CLI_OPT_VALUE || o->type == CLI_OPT_ARG) {
			if (push_input(&c->inputs, *(const char **)o->value) < 0)
				return -1;
		} else if (o->type == CLI_OPT_LIST || o->type == CLI_OPT_ARGS) {
			const cli_list *l = o->value;
			for (size_t k = 0; k < l->count; k++)
				if (push_input(&c->inputs, l->items[k]) < 0)
					return -1;
		}
	}
	return 0;
}

int cli_parse(cli *c, const cli_spec *spec, int argc, char **argv)
{
	cli_opt table[64 + MAX_COMMON];
	common_vals v = { 0, 0, 0, NULL };
	size_t n;
	int options_end = 0, code;

	if (spec->nopts > 64)
		return CLI_EXIT_INTERNAL;
	if (spec->nopts)
		memcpy(table, spec->opts, spec->nopts * sizeof(*table));
	n = spec->nopts + common_table(table + spec->nopts, c, &v);
	for (int i = 1; i < argc; i++) {
		const cli_opt *o;

		if (!options_end && strcmp(argv[i], "--") == 0) {
			options_end = 1;
		} else if (!options_end && argv[i][0] == '-' && argv[i][1]) {
			if ((code = one_option(c, table, n, argc, argv, &i)) != CLI_CONTINUE)
				return code;
			if (v.help || v.version)
				break;
		} else if ((o = positional(spec)) != NULL) {
			if ((code = store(c, o, argv[i])) != CLI_CONTINUE)
				return code;
		} else {
			return cli_usage_error(c, "unexpected argument \"%s\"", argv[i]);
		}
	}
	if (v.help || v.version) {
		if (v.help)
			cli_print_help(c, spec);
		else
			cli_print_version(c);
		return CLI_EXIT_OK;
	}
	if (v.now && platci_time_parse(&c->now, v.now, 0, 0) < 0)
		return cli_usage_error(c, "--now: \"%s\" is not a time like 2026-01-31T10:00:00Z", v.now);
	if (v.no_color)
		c->color = 0;
	if (c->gitlab_flag >= 0)
		c->gitlab = c->gitlab_flag;
	if ((code = check_required(c, spec)) == CLI_CONTINUE && note_inputs(c, spec) < 0) {
		cli_error(c, "out of memory");
		return CLI_EXIT_INTERNAL;
	}
	return code;
}

/* "  -q, --quiet" or "  --plan FILE", padded to the help column. */
static void print_row(const cli_opt *o)
{
	const char *vn = o->value_name ? o->value_name : "";
	char left[128];
	int len;

	if (o->type == CLI_OPT_ARG || o->type == CLI_OPT_ARGS)
		len = snprintf(left, sizeof(left), "  %s", o->name);
	else if (o->alias)
		len = snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->alias, o->name,
			*vn ? " " : "", vn);
	else
		len = snprintf(left, sizeof(left), "  --%s%s%s", o->name, *vn ? " " : "", vn);
	if (len >= HELP_COLUMN)
		printf("%s\n%*s", left, HELP_COLUMN, "");
	else
		printf("%-*s", HELP_COLUMN, left);
	for (const char *p = o->help; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			printf("%*s", HELP_COLUMN, "");
	}
	putchar('\n');
}

void cli_print_help(const cli *c, const cli_spec *spec)
{
	cli_opt common[MAX_COMMON];
	common_vals v = { 0, 0, 0, NULL };
	cli scratch = *c;
	size_t n = common_table(common, &scratch, &v), shown = 0;

	printf("Usage: %s %s\n\n", c->prog, spec->usage);
	if (spec->about)
		printf("%s\n", spec->about);
	for (size_t i = 0; i < spec->nopts; i++) {
		if (!spec->opts[i].help)
			continue;
		if (!shown++)
			printf("Options:\n");
		print_row(&spec->opts[i]);
	}
	printf("%sCommon options:\n", shown ? "\n" : "");
	for (size_t i = 0; i < n; i++)
		print_row(&common[i]);
	if (spec->epilog)
		printf("\n%s", spec->epilog);
	printf("\nExit codes: 0 clean, 1 policy says no, 2 changes detected, 3 needs approval,\n"
	       "64 usage, 65 bad input data, 66 input missing, 69 service unavailable, 70 internal.\n"
	       "NO_COLOR turns colour off.\n");
}

void cli_print_version(const cli *c)
{
	printf("%s (platci) %s\n", c->prog, platci_version());
}
